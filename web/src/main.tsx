import { render } from 'preact';
import validators from 'sipas:form-validators';
import { App } from './app';
import { openDeviceStore } from './device-store';
import { usePrecompiledValidators } from './field-work';

// Validators built with the app: the page never compiles code, so its CSP forbids 'unsafe-eval'.
usePrecompiledValidators(validators);

/** Starts the app: the device store first (everything lives there), then the service worker that keeps the app available offline. */
async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  try {
    const store = await openDeviceStore();
    render(<App store={store} />, root);
  } catch (error) {
    // Without IndexedDB (private mode in some browsers) nothing could be kept: say so instead of losing work.
    root.textContent = `Không mở được bộ nhớ của trình duyệt (IndexedDB), nên ứng dụng không thể lưu phiếu. / The browser's storage (IndexedDB) cannot be opened, so the app cannot keep responses. ${String(error)}`;
    return;
  }
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => undefined);
  }
}

void main();
