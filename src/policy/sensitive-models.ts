/**
 * Models that hold credentials or system settings. A scope reaches them only by
 * naming them exactly as a key of `models`: a wildcard, `*` or the `full` preset
 * never does, because one careless pattern would otherwise hand out API keys or
 * let an integration rewrite the access rules that constrain it.
 */
export const SENSITIVE_MODEL_REASONS = {
  'res.users.apikeys': 'holds the hashed API keys of users',
  'res.users.apikeys.description': 'creates new API keys for users',
  'res.users.identitycheck': 'confirms a password before a security change',
  'change.password.wizard': 'changes user passwords',
  'change.password.user': 'changes user passwords',
  'ir.config_parameter': 'holds system settings and secrets such as the database secret',
  'ir.rule': 'defines record rules, the row-level security of every model',
  'ir.model.access': 'defines the access rights of every model',
  'ir.model': 'defines models; writing it alters the database schema',
  'ir.model.fields': 'defines fields; writing it alters the database schema',
  'ir.model.data': 'maps external ids to records that modules and security rely on',
  'res.groups': 'defines user groups, which grant every access right',
  'ir.module.module': 'installs and uninstalls modules',
  'ir.cron': 'schedules code that runs as its owner',
  'ir.actions.server': 'holds server actions that can run arbitrary code',
  'base.automation': 'runs automated actions with server code',
  'ir.mail_server': 'holds outgoing mail server credentials',
  'fetchmail.server': 'holds incoming mail server credentials',
  'ir.ui.view': 'defines views; writing them can inject code into every page',
  'auth.oauth.provider': 'configures the OAuth login providers',
  'payment.provider': 'holds payment provider credentials',
  'iap.account': 'holds in-app purchase account tokens',
} as const satisfies Record<string, string>;

export type SensitiveModel = keyof typeof SENSITIVE_MODEL_REASONS;

export const SENSITIVE_MODELS: readonly SensitiveModel[] = Object.keys(SENSITIVE_MODEL_REASONS) as SensitiveModel[];

export function isSensitiveModel(model: string): model is SensitiveModel {
  return Object.hasOwn(SENSITIVE_MODEL_REASONS, model);
}
