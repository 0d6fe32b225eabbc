import type { AppEnv } from '../http/context';
import type { AdminApiClient } from './api-client';
import type { ConsoleSession } from './session';

export type ConsoleEnv = {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & {
    session: ConsoleSession;
    api: AdminApiClient;
    /** The submitted form of a state-changing request, read once by the CSRF check. */
    form: URLSearchParams;
  };
};
