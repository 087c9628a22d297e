/**
 * The window's preload (bundled to CommonJS by scripts/build-main.mjs; sandboxed, so it may only
 * require electron): exposes the narrow typed API as `window.patchbay`, never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('patchbay', createPreloadApi(ipcRenderer, process.platform));
