/** JSON-2 (`/json/2/<model>/<method>`, Odoo 19+) or the legacy `/jsonrpc` (`execute_kw`, every version). */
export type OdooApi = 'json2' | 'jsonrpc';

/** The Odoo user a connection acts as, with the credentials the gateway uses to reach it. */
export interface OdooAccount {
  id: string;
  url: string;
  database: string;
  login: string;
  apiKey: string;
  api: OdooApi;
  /** Known once authenticated; /jsonrpc needs it in every call. */
  uid: number | null;
}
