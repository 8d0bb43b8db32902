// Placeholder: management API (being written).
import { HttpClient } from './http';
import { BasetenEndpoints } from './urls';

export class ManagementClient {
  constructor(
    readonly http: HttpClient,
    readonly endpoints: () => BasetenEndpoints,
  ) {}
}
