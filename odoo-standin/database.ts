import type { Dataset } from './dataset';
import { buildModelTable, type ModelTable } from './models';

/** The mutable state of one stand-in: its models, built on first use, and the mail.message counter. */
export class StandinDatabase {
  private readonly tables = new Map<string, ModelTable | undefined>();
  lastMessageId: number;

  constructor(private readonly dataset: Dataset) {
    this.lastMessageId = highestMessageId(dataset);
  }

  model(name: string): ModelTable | undefined {
    if (!this.tables.has(name)) this.tables.set(name, buildModelTable(this.dataset, name));
    return this.tables.get(name);
  }
}

function highestMessageId(dataset: Dataset): number {
  let highest = 0;
  for (const data of Object.values(dataset.models)) {
    for (const record of data.records) {
      for (const key of ['message_ids', 'website_message_ids']) {
        const ids = record[key];
        if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'number') highest = Math.max(highest, id);
      }
    }
  }
  return highest;
}
