import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { normalizePhone, type PersonalData } from '../../../survey-forms/sample-frame';

/** Format tag of sealed values: a later key or algorithm gets a new tag, old values stay readable. */
const VERSION = 'v1';

/** Seals and opens the personal data of the sample list. */
export interface PersonalDataCipher {
  /**
   * AES-256-GCM with a random 96-bit IV. `boundTo` (the sample unit's key) is authenticated with the
   * value, so a sealed value copied onto another unit fails to open.
   */
  seal(data: PersonalData, boundTo: string): string;
  /** Opens a sealed value; throws when the key is wrong or the value was altered. */
  open(sealed: string, boundTo: string): PersonalData;
  /** Keyed hash (HMAC-SHA-256) of a phone number: finds the same respondent twice without storing the phone in clear. */
  hashPhone(phone: string): string;
}

export class PersonalDataError extends Error {
  override readonly name = 'PersonalDataError';
}

/** A cipher from PERSONAL_DATA_KEY (32 bytes, base64). Separate keys for encryption and hashing are derived with HKDF. */
export function createPersonalDataCipher(keyBase64: string): PersonalDataCipher {
  const master = Buffer.from(keyBase64, 'base64');
  if (master.length !== 32) throw new PersonalDataError(`the personal-data key must be 32 bytes, got ${master.length}`);
  const derive = (purpose: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `sipas personal data ${purpose}`, 32));
  const encryptionKey = derive('encryption');
  const hashKey = derive('phone hash');

  return {
    seal(data, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      cipher.setAAD(Buffer.from(boundTo, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, boundTo) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new PersonalDataError('sealed personal data has an unknown format');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(boundTo, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
        return JSON.parse(text) as PersonalData;
      } catch {
        // Never echo the value: it is personal data, or an attempt to probe the key.
        throw new PersonalDataError('sealed personal data does not open with this key (wrong PERSONAL_DATA_KEY, or the value was altered)');
      }
    },
    hashPhone(phone) {
      return createHmac('sha256', hashKey).update(normalizePhone(phone)).digest('hex');
    },
  };
}
