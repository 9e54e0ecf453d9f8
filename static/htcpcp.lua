-- HTCPCP dissector for Wireshark (Lua 5.2 plugin, Wireshark 3.x/4.x).
--
-- The Hyper Text Coffee Pot Control Protocol (RFC 2324; RFC 7168 for tea) is
-- HTTP with extra methods and coffee URI schemes. This plugin dissects it on
-- TCP port 5030 (the lab's pot) and, heuristically, on any other TCP port
-- whose payload starts like an HTCPCP message. Messages split over several
-- segments are reassembled; several messages in one segment are all shown.
--
-- Install: copy this file into Wireshark's personal Lua plugins folder
-- (Help > About Wireshark > Folders), restart Wireshark, filter with `htcpcp`.
-- Try it without installing: tshark -X lua_script:htcpcp.lua -r capture.pcapng

local htcpcp = Proto("htcpcp", "Hyper Text Coffee Pot Control Protocol")

local HTCPCP_PORT = 5030
-- Give up waiting for the end of the head after this many bytes: a peer that
-- never sends an empty line must not make Wireshark buffer forever.
local MAX_HEAD = 65536
-- Likewise for a Content-Length larger than any pot's answer: show what there is.
local MAX_BODY = 16 * 1024 * 1024

local f = htcpcp.fields
f.request = ProtoField.bool("htcpcp.request", "Request")
f.response = ProtoField.bool("htcpcp.response", "Response")
f.method = ProtoField.string("htcpcp.method", "Method")
f.uri = ProtoField.string("htcpcp.uri", "URI")
f.scheme = ProtoField.string("htcpcp.scheme", "Scheme")
f.scheme_language = ProtoField.string("htcpcp.scheme_language", "Scheme language")
f.host = ProtoField.string("htcpcp.host", "Host")
f.pot = ProtoField.string("htcpcp.pot", "Pot designator")
f.version = ProtoField.string("htcpcp.version", "Version")
f.status = ProtoField.uint16("htcpcp.status", "Status code", base.DEC)
f.reason = ProtoField.string("htcpcp.reason", "Reason phrase")
f.header = ProtoField.string("htcpcp.header", "Header")
f.content_type = ProtoField.string("htcpcp.content_type", "Content-Type")
f.content_length = ProtoField.uint32("htcpcp.content_length", "Content-Length", base.DEC)
f.accept_additions = ProtoField.string("htcpcp.accept_additions", "Accept-Additions")
f.use_pot = ProtoField.string("htcpcp.use_pot", "Use-Pot")
f.body = ProtoField.string("htcpcp.body", "Body")

local e_teapot = ProtoExpert.new("htcpcp.teapot", "418 I'm a teapot: this pot brews tea, not coffee (RFC 2324 section 2.3.2)",
	expert.group.RESPONSE_CODE, expert.severity.NOTE)
local e_not_acceptable = ProtoExpert.new("htcpcp.not_acceptable", "406 Not Acceptable: an addition was refused (RFC 2324 section 2.3.1)",
	expert.group.RESPONSE_CODE, expert.severity.WARN)
local e_error_status = ProtoExpert.new("htcpcp.error_status", "Error response from the pot",
	expert.group.RESPONSE_CODE, expert.severity.WARN)
local e_bad_scheme = ProtoExpert.new("htcpcp.bad_scheme", "Not one of the coffee schemes of RFC 2324 section 3",
	expert.group.PROTOCOL, expert.severity.WARN)
local e_bad_length = ProtoExpert.new("htcpcp.bad_length", "Content-Length is not a number (or is over 4 GiB)",
	expert.group.MALFORMED, expert.severity.ERROR)
local e_truncated = ProtoExpert.new("htcpcp.truncated", "Message is cut short: the rest was not captured",
	expert.group.MALFORMED, expert.severity.ERROR)
htcpcp.experts = { e_teapot, e_not_acceptable, e_error_status, e_bad_scheme, e_bad_length, e_truncated }

-- RFC 2324 section 2.1 methods; POST is the deprecated spelling of BREW.
local METHODS = { BREW = true, POST = true, GET = true, PROPFIND = true, WHEN = true }
-- Methods whose request carries a `start`/`stop` command body (RFC 2324 section 2.1.1).
local COMMAND_METHODS = { BREW = true, POST = true }

-- The 23 schemes of RFC 2324 section 3, keyed by their decoded (UTF-8,
-- lower-case) spelling, with the languages the RFC gives for each.
local SCHEMES = {
	["koffie"] = "Afrikaans, Dutch",
	["qæhvæ"] = "Azerbaijani",
	["قهوة"] = "Arabic",
	["akeita"] = "Basque",
	["koffee"] = "Bengali",
	["kahva"] = "Bosnian",
	["kafe"] = "Bulgarian, Czech",
	["cafè"] = "Catalan, French, Galician",
	["咖啡"] = "Chinese",
	["kava"] = "Croatian",
	["káva"] = "Czech",
	["kaffe"] = "Danish, Norwegian, Swedish",
	["coffee"] = "English",
	["kafo"] = "Esperanto",
	["kohv"] = "Estonian",
	["kahvi"] = "Finnish",
	["kaffee"] = "German",
	["καφέ"] = "Greek",
	["कौफी"] = "Hindi",
	["コーヒー"] = "Japanese",
	["커피"] = "Korean",
	["кофе"] = "Russian",
	["กาแฟ"] = "Thai",
}
-- The RFC prints the Catalan entry as caf%C3%E8, which is not UTF-8; accept
-- that spelling and the usual French "café" as the same scheme.
SCHEMES["caf\195\232"] = SCHEMES["cafè"]
SCHEMES["café"] = SCHEMES["cafè"]

local function percent_decode(s)
	return (s:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

-- Returns the languages of a coffee scheme, or nil when `raw` is none of them.
-- Schemes compare case-insensitively (RFC 3986 section 3.1); lower() only
-- touches ASCII letters, which is what that rule covers.
local function scheme_language(raw)
	return SCHEMES[percent_decode(raw):lower()]
end

local function is_version(v)
	return v:match("^HTTP/%d%.%d$") ~= nil or v:match("^HTCPCP/%d%.%d$") ~= nil
end

-- Characters of a method token (RFC 9110 section 5.6.2).
local TCHAR = "[%w!#%$%%&'%*%+%-%.%^_`|~]"
-- The same plus "/", so that a version such as HTCPCP/1.1 fits too.
local TOKEN = "[%w!#%$%%&'%*%+%-%.%^_`|~/]"

-- Start-line parsers over a Lua string holding one line (no CRLF).
local function parse_request_line(line)
	local method, uri, version = line:match("^(" .. TCHAR .. "+) (%S+) (%S+)$")
	if method and is_version(version) then return method, uri, version end
end

local function parse_status_line(line)
	local version, code, reason = line:match("^(%u+/%d%.%d) (%d%d%d) ?(.*)$")
	if version and is_version(version) then return version, tonumber(code), reason end
end

-- True when `line`, a first line whose end has not arrived yet, may still
-- become a start line: worth waiting for the next segment. Anything else is
-- the tail of an earlier message.
local function could_start_message(line)
	return line:match("^" .. TOKEN .. "*$") ~= nil
		or line:match("^" .. TOKEN .. "+ %S*$") ~= nil
		or line:match("^" .. TOKEN .. "+ %S+ [%u/%d%.]*$") ~= nil
		or line:match("^%u+/%d%.%d %d%d%d") ~= nil
end

-- True when `s` (the first bytes of a segment) starts like an HTCPCP message:
-- a coffee method followed by a coffee-scheme URI, or an HTCPCP status line.
local function looks_like_htcpcp(s)
	if s:sub(1, 7) == "HTCPCP/" then return true end
	local method, scheme = s:match("^(%u+) ([^%s:/]+):")
	return method ~= nil and METHODS[method] == true and scheme_language(scheme) ~= nil
end

-- Finds the empty line that ends the head. Returns the 1-based position in `s`
-- of the first body byte, or nil when the head is not complete yet.
local function head_end(s)
	local crlf = s:find("\r\n\r\n", 1, true)
	local lf = s:find("\n\n", 1, true)
	if crlf and (not lf or crlf <= lf) then return crlf + 4 end
	if lf then return lf + 2 end
	return nil
end

-- Where a pipelined request starts inside `s` (1-based), or nil: used to end a
-- BREW body that has no Content-Length when another request follows it.
local function next_request_start(s)
	local from = 1
	while true do
		local at, _, method, scheme = s:find("(%u+) ([^%s:/]+):", from)
		if not at then return nil end
		if METHODS[method] and scheme_language(scheme) then return at end
		from = at + 1
	end
end

local function add_string(tree, field, tvb, offset, length)
	if length <= 0 then return tree:add(field, tvb(offset, 0), "") end
	return tree:add_packet_field(field, tvb(offset, length), ENC_UTF_8)
end

-- Adds the URI and what RFC 2324 section 3 makes of it:
--   coffee-url = coffee-scheme ":" [ "//" host ] [ "/" pot-designator ] [ "?" additions-list ]
local function add_uri(tree, tvb, offset, uri)
	local uri_item = add_string(tree, f.uri, tvb, offset, #uri)
	local colon = uri:find(":", 1, true)
	if not colon or colon == 1 then return end
	local scheme = uri:sub(1, colon - 1)
	local scheme_item = add_string(uri_item, f.scheme, tvb, offset, #scheme)
	local language = scheme_language(scheme)
	if language then
		local decoded = percent_decode(scheme)
		if decoded ~= scheme then scheme_item:append_text(" (" .. decoded .. ")") end
		uri_item:add(f.scheme_language, tvb(offset, #scheme), language):set_generated()
	else
		scheme_item:add_proto_expert_info(e_bad_scheme)
	end
	local rest_at = colon + 1
	local host_from, host_to = uri:find("^//[^/?#]*", rest_at)
	if host_from then
		local host_len = host_to - host_from - 1
		if host_len > 0 then add_string(uri_item, f.host, tvb, offset + host_from + 1, host_len) end
		rest_at = host_to + 1
	end
	local pot_from, pot_to = uri:find("^/[^/?#]+", rest_at)
	if pot_from then add_string(uri_item, f.pot, tvb, offset + pot_from, pot_to - pot_from) end
end

-- A Content-Length value as a number, or nil when it is not a decimal
-- number that fits the 32-bit field.
local function parse_length(value)
	local n = value:match("^%d+$") and tonumber(value)
	if n and n <= 0xFFFFFFFF then return n end
	return nil
end

-- Headers with a field of their own, by lower-case name.
local HEADER_FIELDS = {
	["content-type"] = f.content_type,
	["accept-additions"] = f.accept_additions,
	["use-pot"] = f.use_pot,
}

-- Adds each header line of the head, with a field of its own for the
-- headers HTCPCP defines or uses for framing.
local function add_headers(tree, tvb, offset, head, first_line_end)
	local pos = first_line_end
	while pos <= #head do
		local eol = head:find("\n", pos, true) or (#head + 1)
		local line_end = eol - 1
		if head:sub(line_end, line_end) == "\r" then line_end = line_end - 1 end
		local line = head:sub(pos, line_end)
		if line == "" then break end
		local line_offset = offset + pos - 1
		local item = add_string(tree, f.header, tvb, line_offset, #line)
		local name, spaces, value = line:match("^([^:]+):([ \t]*)(.-)[ \t]*$")
		if name then
			local key = name:lower()
			local value_offset = line_offset + #name + 1 + #spaces
			if HEADER_FIELDS[key] then
				add_string(item, HEADER_FIELDS[key], tvb, value_offset, #value)
			elseif key == "content-length" then
				local n = parse_length(value)
				if n then
					item:add(f.content_length, tvb(value_offset, #value), n)
				else
					item:add_proto_expert_info(e_bad_length)
				end
			end
		end
		pos = eol + 1
	end
end

-- Works out how many body bytes follow the head (RFC 9112 section 6.3 as
-- HTCPCP uses it). Returns the length, or nil for "up to the end of the data".
local function body_length(length, method, status)
	if status then
		if (status >= 100 and status < 200) or status == 204 or status == 304 then return 0 end
		return length
	end
	if length then return length end
	if COMMAND_METHODS[method] then return nil end
	return 0
end

local function set_info(pinfo, text)
	if tostring(pinfo.cols.protocol) == "HTCPCP" then
		pinfo.cols.info:append(", " .. text)
	else
		pinfo.cols.protocol:set("HTCPCP")
		pinfo.cols.info:set(text)
	end
end

-- Dissects bytes that do not start a message (the tail of a response
-- without Content-Length that took more than one segment).
local function dissect_continuation(tvb, pinfo, tree, offset)
	local length = tvb:len() - offset
	set_info(pinfo, "Continuation")
	local sub = tree:add(htcpcp, tvb(offset, length))
	sub:append_text(", Continuation")
	add_string(sub, f.body, tvb, offset, length)
	return length
end

-- Reads Content-Length from a head without building any tree: a message
-- that is still incomplete must leave no trace in this frame.
local function head_content_length(head)
	for line in head:gmatch("[^\r\n]+") do
		local name, value = line:match("^([^:]+):[ \t]*(.-)[ \t]*$")
		if name and name:lower() == "content-length" then return parse_length(value) end
	end
	return nil
end

-- Adds the start line: a request's method, URI and version, or a
-- response's version, status code and reason phrase.
local function add_start_line(sub, tvb, offset, line, msg)
	local line_item = sub:add(tvb(offset, #line), line)
	if msg.method then
		line_item:add(f.request, tvb(offset, 0), true):set_generated()
		add_string(line_item, f.method, tvb, offset, #msg.method)
		add_uri(line_item, tvb, offset + #msg.method + 1, msg.uri)
		add_string(line_item, f.version, tvb, offset + #msg.method + #msg.uri + 2, #msg.version)
		return
	end
	line_item:add(f.response, tvb(offset, 0), true):set_generated()
	add_string(line_item, f.version, tvb, offset, #msg.version)
	local status, reason = msg.status, msg.reason
	local code_item = line_item:add(f.status, tvb(offset + #msg.version + 1, 3), status)
	if #reason > 0 then add_string(line_item, f.reason, tvb, offset + #msg.version + 5, #reason) end
	if status == 418 then
		code_item:add_proto_expert_info(e_teapot)
	elseif status == 406 then
		code_item:add_proto_expert_info(e_not_acceptable)
	elseif status >= 400 then
		code_item:add_proto_expert_info(e_error_status, "Error response: " .. status .. " " .. reason)
	end
end

-- Dissects one message at `offset`. Returns the bytes it used, or 0 plus the
-- number of extra bytes it needs (DESEGMENT_ONE_MORE_SEGMENT when unknown).
local function dissect_message(tvb, pinfo, tree, offset)
	local available = tvb:len() - offset
	local can_wait = pinfo.can_desegment > 0
	local s = tvb:raw(offset, math.min(available, MAX_HEAD))
	local first_eol = s:find("\n", 1, true)
	local first_line = s:sub(1, (first_eol or (#s + 1)) - 1):gsub("\r$", "")
	local msg = {}
	msg.method, msg.uri, msg.version = parse_request_line(first_line)
	if not msg.method then
		msg.version, msg.status, msg.reason = parse_status_line(first_line)
		if not msg.version then
			if first_eol or available >= MAX_HEAD or not can_wait or not could_start_message(first_line) then
				return dissect_continuation(tvb, pinfo, tree, offset)
			end
			return 0, DESEGMENT_ONE_MORE_SEGMENT
		end
	end

	local body_at = head_end(s)
	local truncated = false
	if not body_at then
		if available < MAX_HEAD and can_wait then return 0, DESEGMENT_ONE_MORE_SEGMENT end
		body_at = #s + 1
		truncated = true
	end
	local head = s:sub(1, body_at - 1)
	local head_len = #head

	local body_len = 0
	if not truncated then
		local wanted = body_length(head_content_length(head), msg.method, msg.status)
		if wanted == nil then
			body_len = available - head_len
			if msg.method then
				-- A command body without Content-Length ends where the next pipelined request begins.
				local next_at = next_request_start(tvb:raw(offset + head_len, body_len))
				if next_at then body_len = next_at - 1 end
			end
		elseif head_len + wanted <= available then
			body_len = wanted
		elseif can_wait and wanted <= MAX_BODY then
			return 0, head_len + wanted - available
		else
			body_len = available - head_len
			truncated = true
		end
	end

	local sub = tree:add(htcpcp, tvb(offset, head_len + body_len))
	sub:append_text(", " .. first_line)
	add_start_line(sub, tvb, offset, first_line, msg)
	add_headers(sub, tvb, offset, head, (first_eol or #head) + 1)
	if body_len > 0 then add_string(sub, f.body, tvb, offset + head_len, body_len) end
	if truncated then sub:add_proto_expert_info(e_truncated) end
	set_info(pinfo, first_line)
	return head_len + body_len
end

-- Dissects every message in the segment, asking TCP for more data when the
-- last one is incomplete (see "TCP reassembly" in the Wireshark developer guide).
function htcpcp.dissector(tvb, pinfo, tree)
	local offset = 0
	local total = tvb:len()
	while offset < total do
		local used, need = dissect_message(tvb, pinfo, tree, offset)
		if used == 0 then
			pinfo.desegment_offset = offset
			pinfo.desegment_len = need
			return total
		end
		offset = offset + used
	end
	return total
end

local function heuristic(tvb, pinfo, tree)
	if tvb:len() < 8 then return false end
	if not looks_like_htcpcp(tvb:raw(0, math.min(tvb:len(), 256))) then return false end
	-- Later segments of this connection (responses, continuations) come straight here.
	pinfo.conversation = htcpcp
	htcpcp.dissector(tvb, pinfo, tree)
	return true
end

DissectorTable.get("tcp.port"):add(HTCPCP_PORT, htcpcp)
htcpcp:register_heuristic("tcp", heuristic)
