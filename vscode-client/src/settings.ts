// `mlflowUpgrade.*` settings → what the language server receives, both as
// `initializationOptions` and as the answer to `workspace/configuration`.
//
// Pure logic, no `vscode` import. Values arrive as VS Code read them from JSON,
// so every field is checked; what cannot be used is dropped and reported.

export const SECTION = 'mlflowUpgrade';

export type Level = 'error' | 'warning' | 'information' | 'hint';
export const LEVELS: readonly Level[] = ['error', 'warning', 'information', 'hint'];

/** The settings object the server reads (interfaces spec, "Language server"). */
export interface ServerSettings {
  select: string[];
  ignore: string[];
  severity: Record<string, Level>;
  /** The Python whose site-packages jedi reads; null lets the server pick (workspace `.venv`, …). */
  interpreter: string | null;
  unsafeFixes: boolean;
  exclude: string[];
}

export interface MappedSettings {
  settings: ServerSettings;
  /** One line per value that was dropped, for the log. */
  problems: string[];
}

/** A rule code (`MLF101`) or a prefix of one (`MLF1`, `MLF`). */
const CODE = /^[A-Z]+[0-9]*$/;

const LEVEL_ALIASES: Readonly<Record<string, Level>> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  information: 'information',
  info: 'information',
  hint: 'hint',
};

function codes(raw: unknown, key: string, problems: string[]): string[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    problems.push(`mlflowUpgrade.${key} must be a list of rule codes; ignoring ${JSON.stringify(raw)}`);
    return [];
  }
  const result: string[] = [];
  for (const item of raw) {
    const code = typeof item === 'string' ? item.trim().toUpperCase() : '';
    if (CODE.test(code)) {
      if (!result.includes(code)) {
        result.push(code);
      }
    } else {
      problems.push(`mlflowUpgrade.${key}: ${JSON.stringify(item)} is not a rule code or prefix (like MLF101 or MLF1)`);
    }
  }
  return result;
}

function severity(raw: unknown, problems: string[]): Record<string, Level> {
  const result: Record<string, Level> = {};
  if (raw === undefined || raw === null) {
    return result;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`mlflowUpgrade.severity must map rule codes to levels; ignoring ${JSON.stringify(raw)}`);
    return result;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const code = key.trim().toUpperCase();
    const level = typeof value === 'string' ? LEVEL_ALIASES[value.trim().toLowerCase()] : undefined;
    if (!CODE.test(code)) {
      problems.push(`mlflowUpgrade.severity: ${JSON.stringify(key)} is not a rule code or prefix`);
    } else if (level === undefined) {
      problems.push(
        `mlflowUpgrade.severity.${code}: ${JSON.stringify(value)} is not one of ${LEVELS.join(', ')}`,
      );
    } else {
      result[code] = level;
    }
  }
  return result;
}

function globs(raw: unknown, problems: string[]): string[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    problems.push(`mlflowUpgrade.exclude must be a list of globs; ignoring ${JSON.stringify(raw)}`);
    return [];
  }
  const result: string[] = [];
  for (const item of raw) {
    if (typeof item === 'string' && item.trim() !== '') {
      result.push(item.trim());
    } else {
      problems.push(`mlflowUpgrade.exclude: ${JSON.stringify(item)} is not a glob`);
    }
  }
  return result;
}

/**
 * Maps the raw `mlflowUpgrade` configuration object to the server's settings.
 *
 * `interpreter` is the Python the extension resolved for jedi (the setting with
 * variables expanded, or the Python extension's selection), or null when the
 * extension fell back to PATH: then the server looks for the workspace's own
 * environment first, as the interfaces spec describes.
 */
export function toServerSettings(raw: Readonly<Record<string, unknown>>, interpreter: string | null): MappedSettings {
  const problems: string[] = [];
  let unsafeFixes = false;
  if (typeof raw.unsafeFixes === 'boolean') {
    unsafeFixes = raw.unsafeFixes;
  } else if (raw.unsafeFixes !== undefined && raw.unsafeFixes !== null) {
    problems.push(`mlflowUpgrade.unsafeFixes must be true or false; ignoring ${JSON.stringify(raw.unsafeFixes)}`);
  }
  const settings: ServerSettings = {
    select: codes(raw.select, 'select', problems),
    ignore: codes(raw.ignore, 'ignore', problems),
    severity: severity(raw.severity, problems),
    interpreter,
    unsafeFixes,
    exclude: globs(raw.exclude, problems),
  };
  return { settings, problems };
}

/** The keys of the section that the server reads (a change in any of them is pushed to it). */
export const SERVER_KEYS: readonly (keyof ServerSettings)[] = [
  'select',
  'ignore',
  'severity',
  'interpreter',
  'unsafeFixes',
  'exclude',
];
