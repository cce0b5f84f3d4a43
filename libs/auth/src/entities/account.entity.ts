import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AccountRole } from '../roles';

@Entity({ schema: 'identity', name: 'account' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text') role!: AccountRole;
  @Column('text', { name: 'fhir_user', nullable: true }) fhirUser!: string | null;
  @Column('text', { nullable: true }) organization!: string | null;
  @Column('boolean', { default: true }) active!: boolean;
  /** Base32 TOTP secret (RFC 6238) in use once confirmed. */
  @Column('text', { name: 'totp_secret', nullable: true }) totpSecret!: string | null;
  @Column('boolean', { name: 'totp_enabled', default: false }) totpEnabled!: boolean;
  /** A secret enrolled but not yet confirmed; the one in use (if any) stays valid meanwhile. */
  @Column('text', { name: 'totp_pending_secret', nullable: true }) totpPendingSecret!: string | null;
  /** The last accepted TOTP time step: codes of that step or earlier are refused (replay). */
  @Column('bigint', { name: 'totp_last_step', nullable: true }) totpLastStep!: string | null;
  /** Set by a password reset: until changed, sign-ins get a token good only for changing it. */
  @Column('boolean', { name: 'must_change_password', default: false }) mustChangePassword!: boolean;
  @Column('timestamptz', { name: 'password_changed_at', default: () => 'now()' }) passwordChangedAt!: Date;
  /** The account that created this one (null: the system, or before creators were recorded). */
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
