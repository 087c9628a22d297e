/** The designed state of a panel with nothing to show yet, still loading, or failed. */
import type { ReactNode } from 'react';

interface Props {
  title: string;
  children?: ReactNode;
  tone?: 'plain' | 'error' | 'loading';
}

export function EmptyState({ title, children, tone = 'plain' }: Props) {
  return (
    <div className={`empty empty-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="empty-title">{title}</div>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
