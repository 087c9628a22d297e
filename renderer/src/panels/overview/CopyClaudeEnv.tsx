/** The main button: copies the `export ANTHROPIC_…` lines that point Claude Code at Patchbay. */
import { usePatchbay } from '../../store/use-patchbay';
import { CopyButton } from '../../ui/CopyButton';

export function CopyClaudeEnv() {
  const bridge = usePatchbay((s) => s.bridge);
  return (
    <CopyButton
      className="btn btn-primary btn-large"
      label="Copy Claude Code env"
      ariaLabel="Copy Claude Code env"
      text={async () => (await bridge.call('getClaudeCodeEnv')).text}
    />
  );
}
