import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'tests/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks'
	}
});
