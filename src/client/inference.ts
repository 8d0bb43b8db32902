// Placeholder: predict, run_remote, async, wake (being written).
import { HttpClient } from './http';
import { BasetenEndpoints } from './urls';

export class InferenceClient {
  constructor(
    readonly http: HttpClient,
    readonly endpoints: () => BasetenEndpoints,
  ) {}
}
