import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { TokenGate } from './components/TokenGate';
import { MeProvider } from './lib/me';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TokenGate>
      <MeProvider>
        <App />
      </MeProvider>
    </TokenGate>
  </StrictMode>,
);
