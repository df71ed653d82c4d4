import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { TokenGate } from './components/TokenGate';
import { MeProvider } from './lib/me';
import { ReferenceProvider } from './lib/reference';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TokenGate>
      <MeProvider>
        <ReferenceProvider>
          <App />
        </ReferenceProvider>
      </MeProvider>
    </TokenGate>
  </StrictMode>,
);
