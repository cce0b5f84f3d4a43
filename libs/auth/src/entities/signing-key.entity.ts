import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JWK } from 'jose';

/** A token-signing key pair (ES256). Persisted so that restarts keep issued tokens valid. */
@Entity({ schema: 'identity', name: 'signing_key' })
export class SigningKeyEntity {
  @PrimaryColumn('text') kid!: string;
  @Column('text') alg!: string;
  @Column('jsonb', { name: 'public_jwk' }) publicJwk!: JWK;
  @Column('jsonb', { name: 'private_jwk' }) privateJwk!: JWK;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'retired_at', nullable: true }) retiredAt!: Date | null;
}
