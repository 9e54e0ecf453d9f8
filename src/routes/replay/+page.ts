// The replay page runs in the browser only: it fetches recordings from the relay and drives xterm.
export const ssr = false;
export const prerender = false;
