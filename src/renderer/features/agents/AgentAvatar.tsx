// An agent's avatar: an emoji or short text the user chose, an image (data: URL), or initials
// on a colour derived from the id so each agent is recognisable at a glance.
import { initials } from '../../lib/format';

const HUES = [250, 200, 160, 30, 340, 280, 110, 10];

export function AgentAvatar({ id, name, avatar, size = 28 }: { id: string; name: string; avatar: string | null; size?: number }) {
  const hue = HUES[hash(id) % HUES.length]!;
  const style = { width: size, height: size, fontSize: Math.round(size * 0.42), '--avatar-hue': hue } as React.CSSProperties;
  if (avatar && avatar.startsWith('data:image/')) {
    return <img className="avatar avatar-image" src={avatar} alt="" style={style} />;
  }
  const text = avatar && [...avatar].length <= 3 ? avatar : initials(name);
  return (
    <span className="avatar" style={style} aria-hidden="true">
      {text}
    </span>
  );
}

function hash(value: string): number {
  let h = 0;
  for (let i = 0; i < value.length; i++) h = (h * 31 + value.charCodeAt(i)) | 0;
  return Math.abs(h);
}
