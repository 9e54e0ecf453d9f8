/**
 * Light or dark: follows the system until the student picks one, which is
 * remembered. app.html applies the saved choice before the page paints.
 */

export type Theme = 'light' | 'dark';
const KEY = 'htcpcp-tutor-theme';

class ThemeState {
	current = $state<Theme>('light');

	init(): void {
		if (typeof document === 'undefined') return;
		const set = document.documentElement.dataset.theme;
		this.current = set === 'dark' || set === 'light' ? set : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
		document.documentElement.dataset.theme = this.current;
	}

	toggle(): void {
		this.current = this.current === 'dark' ? 'light' : 'dark';
		document.documentElement.dataset.theme = this.current;
		try {
			localStorage.setItem(KEY, this.current);
		} catch {
			// Storage refused: the choice lasts until reload.
		}
	}
}

export const theme = new ThemeState();
