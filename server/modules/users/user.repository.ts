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
    postOffice: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'users' },
);

export interface UserRecord {
  username: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  provinces: string[];
  postOffice: string | null;
  createdAt: Date;
}

export type UserRepository = ReturnType<typeof createUserRepository>;

/** Users, keyed by username. Returns plain objects. */
export function createUserRepository(connection: Connection) {
  const Users = modelOn(connection, 'User', userSchema);
  const toRecord = (doc: { _id: string; passwordHash: string; role: string; displayName: string; provinces: string[]; postOffice?: string | null; createdAt: Date }): UserRecord => ({
    username: doc._id,
    passwordHash: doc.passwordHash,
    role: doc.role as Role,
    displayName: doc.displayName,
    provinces: doc.provinces,
    postOffice: doc.postOffice ?? null,
    createdAt: doc.createdAt,
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
  };
}
