// The policy as a pure function, and the upload sniffer: the cases the matrix cannot
// reach over HTTP (users the database would refuse).
import { can, type ProjectFacts } from '../../api/access';
import type { User } from '../../api/auth';
import { sniffContentType } from '../../api/content-type';

const project: ProjectFacts = { id: 'prj_1', customerId: 'cus_1', installerIds: ['usr_i1'], openInstallerIds: ['usr_i1'], offerJobIds: [] };
const user = (role: string, extra: Partial<User> = {}): User => ({ id: `usr_${role}`, role: role as User['role'], name: role, ...extra });

describe('the policy fails closed', () => {
  test('an unknown role may do nothing, not even read the catalogue', () => {
    const stranger = user('superuser');
    expect(can(stranger, 'read', { kind: 'project', project })).toBe(false);
    expect(can(stranger, 'list', { kind: 'projects' })).toBe(false);
    expect(can(stranger, 'read', { kind: 'catalogue' })).toBe(false);
    expect(can(stranger, 'read', { kind: 'stream' })).toBe(false);
  });

  test('a customer user without a customer sees nothing', () => {
    const unbound = user('customer');
    expect(can(unbound, 'list', { kind: 'projects' })).toBe(false);
    expect(can(unbound, 'read', { kind: 'project', project: { ...project, customerId: '' } })).toBe(false);
    expect(can(unbound, 'read', { kind: 'customer', customerId: '' })).toBe(false);
    expect(can(user('customer', { customerId: 'cus_1' }), 'read', { kind: 'project', project })).toBe(true);
  });

  test('installers: their jobs yes, offers to claim, nobody else\'s', () => {
    const mine = user('installer', { id: 'usr_i1' });
    const other = user('installer', { id: 'usr_i2' });
    expect(can(mine, 'read', { kind: 'project', project })).toBe(true);
    expect(can(other, 'read', { kind: 'project', project })).toBe(false);
    const offer = { id: 'job_1', projectId: 'prj_1', customerId: 'cus_1', status: 'open', installerId: null };
    expect(can(other, 'claim', { kind: 'job', job: offer })).toBe(true);
    expect(can(other, 'claim', { kind: 'job', job: { ...offer, installerId: 'usr_i1' } })).toBe(false);
    expect(can(user('ops'), 'claim', { kind: 'job', job: offer })).toBe(false);
    const fieldTask = { id: 't', type: 'audit_checklist', status: 'open', assignee: 'group:installer', project, job: offer };
    expect(can(other, 'complete', { kind: 'task', task: fieldTask })).toBe(false); // nobody's job yet: claim first
    expect(can(user('supervisor'), 'complete', { kind: 'task', task: fieldTask })).toBe(true);
    expect(can(user('ops'), 'complete', { kind: 'task', task: fieldTask })).toBe(false); // not an ops task type
  });
});

describe('upload types come from the bytes', () => {
  test('the allowlist', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'), 'x.txt', true)).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'a.pdf', true)).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from('GIF89a....'), 'a', true)).toBe('image/gif');
    expect(sniffContentType(Buffer.from('serial,make\n1,Fronius\n'), 'assets.csv', true)).toBe('text/csv; charset=utf-8');
    expect(sniffContentType(Buffer.from('<svg onload="alert(1)"/>'), 'x.svg', true)).toBe('text/plain; charset=utf-8');
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('[Content_Types].xml....word/document.xml')]);
    expect(sniffContentType(docx, 'a.docx', true)).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  test('anything else is refused', () => {
    expect(sniffContentType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), 'a.pdf', true)).toBeUndefined();
    expect(sniffContentType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]), 'a.zip', true)).toBeUndefined();
    expect(sniffContentType(Buffer.alloc(0), 'empty.txt', true)).toBeUndefined();
  });
});
