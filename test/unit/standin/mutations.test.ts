import { beforeEach, describe, expect, it } from 'vitest';
import { createOdooStandin, type OdooStandin } from '../../../odoo-standin/standin';
import { executeKw, json2 } from './requests';

let standin: OdooStandin;
beforeEach(() => {
  standin = createOdooStandin();
});

const readLead = async (id: number) => (await json2(standin, 'crm.lead', 'read', { ids: [id], fields: ['name', 'email_from', 'stage_id', 'tag_ids'] })).body;

describe('mutations over JSON-2', () => {
  it('creates, reads back, writes, reads back, unlinks and then reads nothing', async () => {
    const created = await json2(standin, 'crm.lead', 'create', { vals_list: [{ name: 'New deal', email_from: 'a@b.example', stage_id: 2, tag_ids: [[6, 0, [1, 3]]] }] });
    expect(created.status).toBe(200);
    const [id] = created.body as number[];
    expect(await readLead(id!)).toEqual([{ id, name: 'New deal', email_from: 'a@b.example', stage_id: [2, 'Qualified'], tag_ids: [1, 3] }]);

    expect((await json2(standin, 'crm.lead', 'write', { ids: [id], vals: { email_from: false, tag_ids: [[3, 1], [4, 5]] } })).body).toBe(true);
    expect(await readLead(id!)).toEqual([{ id, name: 'New deal', email_from: false, stage_id: [2, 'Qualified'], tag_ids: [3, 5] }]);

    expect((await json2(standin, 'crm.lead', 'unlink', { ids: [id] })).body).toBe(true);
    expect(await readLead(id!)).toEqual([]);
    expect((await json2(standin, 'crm.lead', 'search_count', { domain: [['id', '=', id]] })).body).toBe(0);
  });

  it('gives new ids above every existing one and never reuses an unlinked id', async () => {
    const first = (await json2(standin, 'crm.lead', 'create', { vals_list: [{ name: 'A' }] })).body as number[];
    await json2(standin, 'crm.lead', 'unlink', { ids: first });
    const second = (await json2(standin, 'crm.lead', 'create', { vals_list: [{ name: 'B' }, { name: 'C' }] })).body as number[];
    expect(first[0]).toBe(45);
    expect(second).toEqual([46, 47]);
  });

  it('fills the fields of a new record with empty values and stamps the dates', async () => {
    const [id] = (await json2(standin, 'res.partner', 'create', { vals_list: [{ name: 'Zed', country_id: 75 }] })).body as number[];
    const [row] = (await json2(standin, 'res.partner', 'read', { ids: [id] })).body as Record<string, unknown>[];
    expect(row).toMatchObject({ id, name: 'Zed', display_name: 'Zed', email: false, active: true, child_ids: [], country_id: [75, 'res.country,75'] });
    expect(row!.create_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('refuses a write on a missing record, naming only the missing ids', async () => {
    const answer = await json2(standin, 'res.partner', 'write', { ids: [9, 999998, 999999], vals: { name: 'x' } });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      name: 'odoo.exceptions.MissingError',
      message: 'Record does not exist or has been deleted.\n(Record: res.partner(999998, 999999), User: 2)',
    });
    expect((await json2(standin, 'res.partner', 'read', { ids: [9], fields: ['name'] })).body).toEqual([{ id: 9, name: 'Acme Corporation' }]);
  });

  it('refuses unlink of a missing record and res.partner without a name, on create and on write', async () => {
    expect((await json2(standin, 'res.partner', 'unlink', { ids: [999999] })).status).toBe(404);
    const unnamed = await json2(standin, 'res.partner', 'write', { ids: [9], vals: { name: false } });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body).toMatchObject({ message: 'The operation cannot be completed: Contacts require a name' });
  });

  it('refuses unknown fields in values and in read', async () => {
    const write = await json2(standin, 'res.partner', 'write', { ids: [9], vals: { nope: 1 } });
    expect([write.status, (write.body as { name: string }).name]).toEqual([500, 'builtins.ValueError']);
    const read = await json2(standin, 'res.partner', 'read', { ids: [9], fields: ['nope'] });
    expect(read.body).toMatchObject({ message: "Invalid field 'nope' on 'res.partner'" });
  });

  it('posts a message and links it to the record', async () => {
    const posted = await json2(standin, 'res.partner', 'message_post', { ids: [9], body: 'Hello', message_type: 'comment' });
    const [messageId] = posted.body as number[];
    const again = (await json2(standin, 'res.partner', 'message_post', { ids: [9], body: 'Again' })).body as number[];
    expect(again).toEqual([messageId! + 1]);
    const [row] = (await json2(standin, 'res.partner', 'read', { ids: [9], fields: ['message_ids'] })).body as Array<{ message_ids: number[] }>;
    expect(row!.message_ids.slice(0, 2)).toEqual([messageId! + 1, messageId]);
    expect((await json2(standin, 'res.partner', 'message_post', { ids: [9, 10], body: 'x' })).body).toMatchObject({
      message: 'Expected singleton: res.partner(9, 10)',
    });
    expect((await json2(standin, 'crm.stage', 'message_post', { ids: [1], body: 'x' })).status).toBe(404);
  });

  it('forgets every change on reset()', async () => {
    await json2(standin, 'res.partner', 'unlink', { ids: [9] });
    standin.reset();
    expect(standin.calls).toEqual([]);
    expect((await json2(standin, 'res.partner', 'read', { ids: [9], fields: ['name'] })).body).toEqual([{ id: 9, name: 'Acme Corporation' }]);
  });

  it('keeps each stand-in separate', async () => {
    const other = createOdooStandin();
    await json2(standin, 'res.partner', 'unlink', { ids: [9] });
    expect((await json2(other, 'res.partner', 'read', { ids: [9], fields: ['name'] })).body).toEqual([{ id: 9, name: 'Acme Corporation' }]);
  });
});

describe('mutations over /jsonrpc', () => {
  it('creates from a dict (one id) and from a list (a list), writes, unlinks', async () => {
    const single = await executeKw(standin, 'crm.lead', 'create', [{ name: 'One' }]);
    const many = await executeKw(standin, 'crm.lead', 'create', [[{ name: 'Two' }, { name: 'Three' }]]);
    expect(single).toEqual({ result: 45 });
    expect(many).toEqual({ result: [46, 47] });
    expect(await executeKw(standin, 'crm.lead', 'write', [[45, 46], { description: 'updated' }])).toEqual({ result: true });
    expect(await executeKw(standin, 'crm.lead', 'read', [[45, 46, 47]], { fields: ['description'] })).toEqual({
      result: [
        { id: 45, description: 'updated' },
        { id: 46, description: 'updated' },
        { id: 47, description: false },
      ],
    });
    expect(await executeKw(standin, 'crm.lead', 'unlink', [[45, 46, 47]])).toEqual({ result: true });
    expect(await executeKw(standin, 'crm.lead', 'read', [[45, 46, 47]])).toEqual({ result: [] });
  });

  it('refuses to create from keyword arguments only, without creating anything', async () => {
    const answer = await executeKw(standin, 'crm.lead', 'create', [], { vals_list: [{ name: 'x' }] });
    expect(answer.error).toMatchObject({ name: 'builtins.IndexError' });
    expect(await executeKw(standin, 'crm.lead', 'search_count', [[['name', '=', 'x']]])).toEqual({ result: 0 });
  });

  it('applies the ACL to writes of an ordinary user, with the verb Odoo uses', async () => {
    const answer = await executeKw(standin, 'ir.config_parameter', 'create', [{ key: 'k', value: 'v' }], {}, 'demo');
    expect(answer.error).toEqual(
      expect.objectContaining({
        name: 'odoo.exceptions.AccessError',
        message: expect.stringMatching(/^You are not allowed to create 'System Parameter' \(ir\.config_parameter\) records\./),
      }),
    );
  });
});
