// The documents the language server sees. Pure data, no `vscode` import.
//
// Python files on disk and unsaved ones; cells of Jupyter notebooks (the
// server declares notebook sync, so vscode-languageclient sends whole notebooks
// as notebook documents and the cells ride along); gateway YAML (the server
// decides from the content whether a YAML file is a gateway configuration).

export interface Filter {
  scheme: string;
  language: string;
}

export const DOCUMENT_SELECTOR: readonly Filter[] = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { scheme: 'vscode-notebook', language: 'python' },
  { scheme: 'vscode-notebook-cell', language: 'python' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
];
