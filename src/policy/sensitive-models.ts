/**
 * Models that hold credentials or system settings, run code, install modules or
 * change security (read from Odoo 19 `odoo/addons/base` and the addons that
 * define them). A scope reaches them only by naming them exactly as a key of
 * `models`: a wildcard, `*` or the `full` preset never does, because one
 * careless pattern would otherwise hand out API keys or let an integration
 * rewrite the access rules that constrain it.
 */
export const SENSITIVE_MODEL_REASONS = {
  'res.users.apikeys': 'holds the hashed API keys of users',
  'res.users.apikeys.description': 'creates new API keys for users',
  'res.users.apikeys.show': 'shows a newly created API key in clear',
  'res.users.identitycheck': 'confirms a password before a security change',
  'change.password.wizard': 'changes user passwords',
  'change.password.user': 'changes user passwords',
  'change.password.own': 'changes the password of the acting user',
  'auth_totp.device': 'holds the trusted devices that skip two-factor authentication',
  'auth_totp.wizard': 'enables two-factor authentication with a secret',
  'auth.passkey.key': 'holds the passkeys users sign in with',
  'res.device': 'lists and revokes the sessions of users',
  'res.device.log': 'holds the session identifiers of users',
  'res.company.ldap': 'holds the LDAP bind credentials and creates users from LDAP',
  'ir.config_parameter': 'holds system settings and secrets such as the database secret',
  'res.config.settings': 'installs modules and writes system parameters when executed',
  'res.config': 'runs configuration wizards that change system settings',
  'ir.rule': 'defines record rules, the row-level security of every model',
  'ir.model.access': 'defines the access rights of every model',
  'ir.model': 'defines models; writing it alters the database schema',
  'ir.model.fields': 'defines fields; writing it alters the database schema',
  'ir.model.data': 'maps external ids to records that modules and security rely on',
  'ir.default': 'sets the default values of any field of any model, for every user',
  'res.groups': 'defines user groups, which grant every access right',
  'ir.module.module': 'installs and uninstalls modules',
  'base.module.upgrade': 'installs, upgrades and uninstalls modules',
  'base.module.uninstall': 'uninstalls modules and deletes their data',
  'base.module.update': 'updates the list of installable modules',
  'base.module.install.request': 'requests the installation of modules',
  'base.module.install.review': 'installs requested modules',
  'base_import.import': 'imports rows into any model, any field',
  'ir.cron': 'schedules code that runs as its owner',
  'ir.actions.server': 'holds server actions that can run arbitrary code',
  'ir.actions.actions': 'defines the actions of every menu and button',
  'ir.actions.act_window': 'defines window actions whose domain and context every user evaluates',
  'ir.actions.act_url': 'defines actions that send users to any address',
  'ir.actions.client': 'defines client actions that run in the browser of every user',
  'ir.actions.report': 'renders QWeb reports and evaluates Python expressions for their file names',
  'base.automation': 'runs automated actions with server code',
  'mail.template': 'renders templates that evaluate code on records and sends them as the company',
  'sms.template': 'renders templates that evaluate code on records',
  'mail.compose.message': 'renders templates and bodies on records of any model and sends them',
  'ir.attachment': 'holds the files of every model, assets and reports, whatever record they belong to',
  'ir.asset': 'adds JavaScript and CSS to every page',
  'ir.ui.view': 'defines views; writing them can inject code into every page',
  'ir.mail_server': 'holds outgoing mail server credentials',
  'fetchmail.server': 'holds incoming mail server credentials',
  'auth.oauth.provider': 'configures the OAuth login providers',
  'payment.provider': 'holds payment provider credentials',
  'iap.account': 'holds in-app purchase account tokens',
  'res.users.settings': 'holds the calendar synchronisation tokens of users',
  'res.users.settings.embedded.action': 'stores the embedded actions and domains each user runs',
  'mail.ice.server': 'holds the TURN server credentials of calls',
  'payment.token': 'holds the saved payment method tokens of customers',
  'ir.actions.server.history': 'holds every past version of server action code, which can be restored',
  'ir.cron.trigger': 'makes scheduled code run now',
  'ir.cron.progress': 'records and resumes the progress of scheduled code',
  'ir.embedded.actions': 'defines embedded actions that run methods and domains in every user\'s views',
  'ir.model.constraint': 'defines database constraints; deleting one drops it from the schema',
  'ir.model.relation': 'defines many2many tables; deleting one drops it from the schema',
  'ir.model.fields.selection': 'defines selection values; deleting one rewrites the records that use it',
  'ir.model.inherit': 'records how models inherit one another, which module upgrades rely on',
  'ir.ui.view.custom': 'holds per-user view customisations whose architecture every dashboard renders',
  'ir.ui.menu': 'defines menus and the groups that see them',
  'ir.actions.todo': 'queues configuration wizards that run at the next sign-in',
  'ir.profile': 'holds profiling traces of requests with their SQL and code',
  'ir.logging': 'holds server logs',
} as const satisfies Record<string, string>;

export type SensitiveModel = keyof typeof SENSITIVE_MODEL_REASONS;

export const SENSITIVE_MODELS: readonly SensitiveModel[] = Object.keys(SENSITIVE_MODEL_REASONS) as SensitiveModel[];

export function isSensitiveModel(model: string): model is SensitiveModel {
  return Object.hasOwn(SENSITIVE_MODEL_REASONS, model);
}

interface SensitiveField {
  reason: string;
  /** Its value is a secret: reading, filtering, sorting or grouping on it is refused too, not only writing it. */
  secret?: true;
}

/**
 * Fields of ordinary models that sign users in, grant rights or hold secrets
 * (Odoo 19 `base`, `auth_totp`, `auth_oauth`, `auth_passkey`). Writing them is
 * refused, in create and update values and in nested x2many values alike;
 * reading the secret ones too. Only a scope that names the model exactly and
 * the field in that entry's `write_fields` (or `read_fields`) reaches them: a
 * wildcard, `*`, `full` or an entry without field lists never does.
 */
export const SENSITIVE_FIELDS: Readonly<Record<string, Readonly<Record<string, SensitiveField>>>> = {
  'res.users': {
    password: { reason: 'sets the password of an Odoo login, a way in that bypasses the gateway and its audit', secret: true },
    new_password: { reason: 'sets the password of an Odoo login, a way in that bypasses the gateway and its audit', secret: true },
    login: { reason: 'changes the name a user signs in with' },
    group_ids: { reason: 'grants user groups, and with them every access right' },
    role: { reason: 'makes a user an administrator' },
    company_ids: { reason: 'grants access to the data of other companies' },
    api_key_ids: { reason: 'holds the API keys of the user', secret: true },
    auth_passkey_key_ids: { reason: 'holds the passkeys of the user', secret: true },
    totp_secret: { reason: 'holds the two-factor authentication secret', secret: true },
    totp_last_counter: { reason: 'holds the two-factor authentication counter', secret: true },
    totp_trusted_device_ids: { reason: 'holds the devices that skip two-factor authentication', secret: true },
    oauth_provider_id: { reason: 'links an OAuth account that signs in as the user' },
    oauth_uid: { reason: 'links an OAuth account that signs in as the user' },
    oauth_access_token: { reason: 'holds an OAuth access token', secret: true },
    // Who the user is and what it may do (odoo/addons/base/models/res_users.py and the addons that extend it).
    partner_id: { reason: 'changes the partner the user is: its name, e-mail and the records that follow it' },
    share: { reason: 'turns an internal user into a portal user or back' },
    company_id: { reason: 'changes the company whose data the user works in' },
    // An archived user cannot sign in; unarchiving one brings back a login that bypasses the gateway.
    active: { reason: 'enables or disables the login of a user' },
    action_id: { reason: 'sets the action every sign-in of the user opens' },
    // Odoo 19 sets groups through group_ids; role and the groups editor's view_group_hierarchy write them too.
    all_group_ids: { reason: 'holds the groups of the user and the groups they imply' },
    view_group_hierarchy: { reason: 'carries the group settings of the user form, which grant access rights' },
    role_ids: { reason: 'changes the roles the user is notified for' },
    employee_id: { reason: 'binds the user to an employee, whose records and approvals it then acts on' },
    employee_ids: { reason: 'binds the user to employees, whose records and approvals it then acts on' },
  },
  // The other side of res.users.company_ids.
  'res.company': {
    user_ids: { reason: 'grants users access to the data of the company' },
  },
};

/**
 * Any model's field named like a credential (`access_token` of sale.order,
 * `google_calendar_rtoken`, `l10n_in_edi_password`, `ldap_password`...): a
 * portal token or a password leaves the gateway as a way in of its own.
 */
const CREDENTIAL_FIELD = /(^|_)(password|passwd|secret|secret_key|token|rtoken|api_key|apikey|private_key)$/;

const CREDENTIAL_REASON = 'is named like a credential (a password, secret, token or API key)';

/** Why a field of a model is sensitive, or undefined for an ordinary field. */
export function sensitiveField(model: string, field: string): SensitiveField | undefined {
  const listed = Object.hasOwn(SENSITIVE_FIELDS, model) ? SENSITIVE_FIELDS[model]! : undefined;
  if (listed !== undefined && Object.hasOwn(listed, field)) return listed[field];
  return CREDENTIAL_FIELD.test(field) ? { reason: CREDENTIAL_REASON, secret: true } : undefined;
}

/** A secret whatever model it belongs to; used where the model is not at hand (filtering returned records). */
export function isCredentialFieldName(field: string): boolean {
  return CREDENTIAL_FIELD.test(field);
}

/**
 * Ordinary models whose records may be read and written under `full`, but
 * whose deletion ends more than the record: a user's deletion removes a login
 * (the gateway's own Odoo account among them) and a company's the data kept
 * under it. Deleting them needs the model named exactly in `models`, with the
 * delete operation; `full`, `*` and wildcards never do.
 */
export const SENSITIVE_DELETES: Readonly<Record<string, string>> = {
  'res.users': 'a user removes a login, possibly the one this gateway acts as',
  'res.company': 'a company removes what is kept under it',
};

/**
 * Methods of ordinary models that change how a user signs in (Odoo 19 `base`,
 * `auth_signup`, `auth_totp`, `auth_oauth`, `auth_passkey`) or hand out a
 * record's portal access token (`sale`, `account`). They are refused
 * unless the scope names the model exactly and the method in its `methods`.
 */
export const SENSITIVE_METHODS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'res.users': {
    change_password: 'changes the password of the acting user',
    preference_change_password: 'changes the password of the acting user',
    api_key_wizard: 'creates an API key',
    signup: 'signs a user up with a password',
    reset_password: 'sends a password reset link',
    action_reset_password: 'sends a password reset link',
    web_create_users: 'creates users and invites them',
    action_totp_disable: 'turns two-factor authentication off',
    action_totp_enable_wizard: 'turns two-factor authentication on with a new secret',
    auth_oauth: 'signs in with an OAuth token',
    remove_oauth_access_token: 'removes the OAuth access token',
    action_create_passkey: 'creates a passkey',
    authenticate: 'checks a password',
  },
  // Business actions that answer the portal address of the record, access token included (portal.mixin get_portal_url).
  'sale.order': {
    action_preview_sale_order: "returns the order's portal address with its access token, a way in that bypasses the gateway",
  },
  'account.move': {
    preview_invoice: "returns the invoice's portal address with its access token, a way in that bypasses the gateway",
  },
};

export function sensitiveMethodReason(model: string, method: string): string | undefined {
  const listed = Object.hasOwn(SENSITIVE_METHODS, model) ? SENSITIVE_METHODS[model]! : undefined;
  return listed !== undefined && Object.hasOwn(listed, method) ? listed[method] : undefined;
}
