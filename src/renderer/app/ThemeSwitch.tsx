// Theme control: system / light / dark as three toggle buttons; the choice persists.
import { Icon, type IconName } from '../components/Icon';
import { selectThemePreference, useUiStore, type ThemePreference } from '../state/ui';

const OPTIONS: ReadonlyArray<{ id: ThemePreference; label: string; icon: IconName }> = [
  { id: 'system', label: 'System theme', icon: 'monitor' },
  { id: 'light', label: 'Light theme', icon: 'sun' },
  { id: 'dark', label: 'Dark theme', icon: 'moon' },
];

export function ThemeSwitch() {
  const preference = useUiStore(selectThemePreference);
  const setPreference = useUiStore((s) => s.setThemePreference);
  return (
    <div className="theme-switch" role="group" aria-label="Theme">
      {OPTIONS.map((option) => (
        <button
          key={option.id}
          type="button"
          className="theme-switch-item"
          aria-pressed={preference === option.id}
          aria-label={option.label}
          title={option.label}
          data-testid={`theme-${option.id}`}
          onClick={() => setPreference(option.id)}
        >
          <Icon name={option.icon} size={14} />
        </button>
      ))}
    </div>
  );
}
