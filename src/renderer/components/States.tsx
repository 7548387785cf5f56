// Loading, empty and error states. Skeleton rows have the same fixed height as the real rows
// they stand for, so content replaces them without moving anything.
import type { ReactNode } from 'react';
import { Button } from './Button';
import { Icon, type IconName } from './Icon';

export function SkeletonList({ rows, rowHeight, label, testId }: { rows: number; rowHeight: number; label: string; testId?: string }) {
  return (
    <div className="skeleton-list" role="status" aria-label={label} data-testid={testId}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row" style={{ height: rowHeight }}>
          <span className="skeleton skeleton-avatar" />
          <span className="skeleton-lines">
            <span className="skeleton skeleton-line" style={{ width: `${55 + ((i * 17) % 35)}%` }} />
            <span className="skeleton skeleton-line skeleton-line-sm" style={{ width: `${30 + ((i * 23) % 30)}%` }} />
          </span>
        </div>
      ))}
    </div>
  );
}

export function EmptyState({ icon = 'empty', title, children, action, testId }: { icon?: IconName; title: string; children?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <span className="empty-icon">
        <Icon name={icon} size={22} />
      </span>
      <p className="empty-title">{title}</p>
      {children ? <p className="empty-text">{children}</p> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export function ErrorState({ title, message, onRetry, testId }: { title: string; message: string | null; onRetry?: () => void; testId?: string }) {
  return (
    <div className="error-state" role="alert" data-testid={testId}>
      <span className="error-icon">
        <Icon name="alert" size={20} />
      </span>
      <p className="empty-title">{title}</p>
      {message ? <p className="empty-text">{message}</p> : null}
      {onRetry ? (
        <div className="empty-action">
          <Button icon="restore" onClick={onRetry}>
            Try again
          </Button>
        </div>
      ) : null}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
