// Renderer entry: styles, store wiring, React root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectStores } from './app/wiring';
import { registerRuntimeUi } from './features/runtime';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/layout.css';
import './styles/tree.css';
import './styles/editor.css';

const root = document.getElementById('root');
if (!root) throw new Error('Paddock: #root element missing from index.html');

connectStores();
registerRuntimeUi();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
