// Applies the resolved theme as data-theme on <html> and follows the OS setting when the
// preference is "system".
import { useEffect } from 'react';
import { selectResolvedTheme, useUiStore } from '../state/ui';

export function useThemeEffect(): void {
  const theme = useUiStore(selectResolvedTheme);
  const setSystemTheme = useUiStore((s) => s.setSystemTheme);

  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setSystemTheme(query.matches ? 'dark' : 'light');
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [setSystemTheme]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}
