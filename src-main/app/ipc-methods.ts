/**
 * The API methods the Electron host serves over IPC: all but those that take a file-system path
 * (its native dialogs, pickWorkspace and pickProjectFile, replace them). A file of its own so the
 * sandboxed preload bundles the list without the argument schemas.
 */
import { API_METHODS, type ApiMethod } from '../api/contract';

export const PATH_METHODS: readonly ApiMethod[] = ['setWorkspace', 'openProjectPath'];

export const IPC_METHODS: readonly ApiMethod[] = API_METHODS.filter((m) => !PATH_METHODS.includes(m));
