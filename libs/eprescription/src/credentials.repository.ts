import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { DataSource, EntityManager } from 'typeorm';
import { EPRESCRIPTION_CONTEXT } from './eprescription.database';

/** A doctor's national-system sign-in as stored: the password only encrypted. */
export interface StoredCredential {
  readonly practitioner: string;
  readonly facilityCode: string;
  readonly facilityLinkCode: string;
  readonly doctorLinkCode: string;
  readonly passwordEncrypted: string;
}

interface Row {
  practitioner: string;
  facility_code: string;
  facility_link_code: string;
  doctor_link_code: string;
  password_encrypted: string;
}

/** eprescription.credential: one row per practitioner (one national code per prescriber, QĐ 425/QĐ-BYT art. 20(3)(a) [unverified]). */
@Injectable()
export class CredentialsRepository {
  constructor(@InjectDataSource(EPRESCRIPTION_CONTEXT) private readonly db: DataSource) {}

  async upsert(c: StoredCredential, by: string): Promise<void> {
    await this.db.query(
      `INSERT INTO eprescription.credential
         (practitioner, facility_code, facility_link_code, doctor_link_code, password_encrypted, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (practitioner) DO UPDATE SET facility_code = EXCLUDED.facility_code,
         facility_link_code = EXCLUDED.facility_link_code, doctor_link_code = EXCLUDED.doctor_link_code,
         password_encrypted = EXCLUDED.password_encrypted, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [c.practitioner, c.facilityCode, c.facilityLinkCode, c.doctorLinkCode, c.passwordEncrypted, by],
    );
  }

  async find(practitioner: string, em?: EntityManager): Promise<StoredCredential | undefined> {
    const rows = rowsOf<Row>(
      await (em ?? this.db.manager).query(
        `SELECT practitioner, facility_code, facility_link_code, doctor_link_code, password_encrypted
           FROM eprescription.credential WHERE practitioner = $1`,
        [practitioner],
      ),
    );
    const r = rows[0];
    return r
      ? {
          practitioner: r.practitioner,
          facilityCode: r.facility_code,
          facilityLinkCode: r.facility_link_code,
          doctorLinkCode: r.doctor_link_code,
          passwordEncrypted: r.password_encrypted,
        }
      : undefined;
  }
}
