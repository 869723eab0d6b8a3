import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { FieldScope } from '../../../survey-forms/field-scope';
import { modelOn } from '../../db/model';
import { scopeMatch } from '../../db/scope-match';

/**
 * The audit log: every review decision, every change of a quota target, every release prepared or approved, who made
 * it, when, and the state before and after. Append-only: this repository can add and read entries,
 * nothing else.
 */
const auditEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    actorRole: { type: String, required: true },
    action: { type: String, required: true },
    roundId: { type: String, default: null },
    provinceCode: { type: String, default: null },
    /** The post office of what was acted on (a response's), so post-office supervisors read their own entries. */
    postOffice: { type: String, default: null },
    subject: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    reason: { type: String, default: null },
  },
  { versionKey: false, collection: 'audit_log', minimize: false },
);
auditEntrySchema.index({ roundId: 1, at: -1, _id: -1 });
auditEntrySchema.index({ roundId: 1, subject: 1, at: -1 });

export const AUDIT_ACTIONS = ['response.approved', 'response.rejected', 'response.returned', 'response.correction-received', 'response.verified', 'quota.set', 'release.prepared', 'release.approved', 'respondent-link.withdrawn', 'respondent-link.reissued'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  actorRole: string;
  action: AuditAction;
  roundId: string | null;
  provinceCode: string | null;
  postOffice?: string | null;
  /** What was acted on, e.g. `response/<id>` or `quota/<province>/<level>/<field>`. */
  subject: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

export function createAuditRepository(connection: Connection) {
  const Entries = modelOn(connection, 'AuditEntry', auditEntrySchema);
  type Doc = Omit<AuditEntry, 'id'> & { _id: string };
  const toEntry = ({ _id, ...d }: Doc): AuditEntry => ({ id: _id, ...d });
  return {
    async append(entries: ReadonlyArray<Omit<AuditEntry, 'id'>>): Promise<AuditEntry[]> {
      const withIds = entries.map((e) => ({ id: randomUUID(), ...e }));
      if (withIds.length > 0) await Entries.insertMany(withIds.map(({ id, ...e }) => ({ _id: id, ...e })));
      return withIds;
    },
    /** Newest first. */
    async list(
      roundId: string,
      filter: { scope?: FieldScope; subject?: string },
      page: { offset: number; limit: number },
    ): Promise<{ total: number; entries: AuditEntry[] }> {
      const q = {
        roundId,
        ...scopeMatch(filter.scope),
        ...(filter.subject ? { subject: filter.subject } : {}),
      };
      const [total, docs] = await Promise.all([
        Entries.countDocuments(q),
        Entries.find(q).sort({ at: -1, _id: -1 }).skip(page.offset).limit(page.limit).lean(),
      ]);
      return { total, entries: docs.map((d) => toEntry(d as unknown as Doc)) };
    },
  };
}
