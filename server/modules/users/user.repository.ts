import { Schema, type Connection } from 'mongoose';
import { HttpProblem } from '../../http/problem';
import { isDuplicateKeyError } from '../../db/errors';
import { modelOn } from '../../db/model';
import { ROLES, type Role } from './user.schema';

const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    displayName: { type: String, required: true },
    provinces: { type: [String], default: [] },
    /** Absent on accounts made before deactivation existed: they are active. */
    active: { type: Boolean, default: true },
    postOffice: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'users' },
);
userSchema.index({ role: 1, _id: 1 });

export interface UserRecord {
  username: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  provinces: string[];
  active: boolean;
  postOffice: string | null;
  createdAt: Date;
}

export interface UserFilter {
  /** Part of the username or display name, any case. */
  q?: string;
  role?: Role;
  province?: string;
  active?: boolean;
}

/** A text as a regular expression that matches it literally. */
const literally = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');


export type UserRepository = ReturnType<typeof createUserRepository>;

/** Users, keyed by username. Returns plain objects. */
export function createUserRepository(connection: Connection) {
  const Users = modelOn(connection, 'User', userSchema);
  const toRecord = (doc: { _id: string; passwordHash: string; role: string; displayName: string; provinces: string[]; postOffice?: string | null; active?: boolean | null; createdAt: Date }): UserRecord => ({
    username: doc._id,
    passwordHash: doc.passwordHash,
    role: doc.role as Role,
    displayName: doc.displayName,
    provinces: doc.provinces,
    active: doc.active !== false,
    postOffice: doc.postOffice ?? null,
    createdAt: doc.createdAt,
  });
  const query = (filter: UserFilter) => ({
    ...(filter.role ? { role: filter.role } : {}),
    ...(filter.province ? { provinces: filter.province } : {}),
    ...(filter.active === true ? { active: { $ne: false } } : filter.active === false ? { active: false } : {}),
    ...(filter.q ? { $or: [{ _id: literally(filter.q) }, { displayName: literally(filter.q) }] } : {}),
  });
  return {
    async insert(user: UserRecord): Promise<void> {
      try {
        await Users.create({ ...user, _id: user.username });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new HttpProblem('already_exists', `A user named ${user.username} already exists.`);
        throw error;
      }
    },
    async findByUsername(username: string): Promise<UserRecord | undefined> {
      const doc = await Users.findById(username).lean();
      return doc ? toRecord(doc) : undefined;
    },
    async list(): Promise<UserRecord[]> {
      const docs = await Users.find().sort({ _id: 1 }).lean();
      return docs.map(toRecord);
    },
    /** A page of the users matching a filter, by username, and how many match in all. */
    async search(filter: UserFilter, page: { offset: number; limit: number }): Promise<{ total: number; users: UserRecord[] }> {
      const q = query(filter);
      const [total, docs] = await Promise.all([Users.countDocuments(q), Users.find(q).sort({ _id: 1 }).skip(page.offset).limit(page.limit).lean()]);
      return { total, users: docs.map(toRecord) };
    },
    /** Those of the usernames that are taken. */
    async existingUsernames(usernames: ReadonlyArray<string>): Promise<Set<string>> {
      if (usernames.length === 0) return new Set();
      const docs = await Users.find({ _id: { $in: [...usernames] } }, { _id: 1 }).lean();
      return new Set(docs.map((d) => d._id));
    },
    /** Stores many users; returns the usernames another request took in between (refused by the unique key). */
    async insertMany(users: ReadonlyArray<UserRecord>): Promise<Set<string>> {
      const raced = new Set<string>();
      if (users.length === 0) return raced;
      try {
        await Users.insertMany(
          users.map((u) => ({ ...u, _id: u.username })),
          { ordered: false },
        );
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ index?: number; code?: number; err?: { index?: number; code?: number } }> }).writeErrors;
        if (!writeErrors) throw error;
        for (const we of writeErrors) {
          const index = we.index ?? we.err?.index;
          if ((we.code ?? we.err?.code) !== 11000 || index === undefined) throw error;
          const user = users[index];
          if (user) raced.add(user.username);
        }
      }
      return raced;
    },
    /** Changes what may change of a user; the user as it is afterwards, or undefined when there is none. */
    async update(username: string, changes: Partial<Pick<UserRecord, 'active' | 'displayName' | 'provinces' | 'passwordHash'>>): Promise<UserRecord | undefined> {
      const doc = await Users.findByIdAndUpdate(username, { $set: changes }, { returnDocument: 'after' }).lean();
      return doc ? toRecord(doc) : undefined;
    },
  };
}
