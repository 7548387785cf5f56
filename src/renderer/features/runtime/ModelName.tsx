// A model reference as people read it ("Provider · model"), with its facts as a tooltip.
import { modelFacts, useModelLabel } from './modelRef';

export function ModelName({ modelRef, fallback = 'Default model' }: { modelRef: string | null; fallback?: string }) {
  const label = useModelLabel(modelRef);
  if (!modelRef) return <>{fallback}</>;
  const title = label.problem ?? (modelFacts(label.info) || undefined);
  return (
    <span className={label.problem ? 'model-name has-problem' : 'model-name'} title={title} data-testid="model-name">
      {label.text}
    </span>
  );
}
