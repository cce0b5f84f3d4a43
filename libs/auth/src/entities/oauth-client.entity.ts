import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'identity', name: 'oauth_client' })
export class OAuthClientEntity {
  @PrimaryColumn('text', { name: 'client_id' }) clientId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'secret_hash' }) secretHash!: string;
  @Column('text') scope!: string;
  @Column('boolean', { default: true }) active!: boolean;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('uuid', { name: 'revoked_by', nullable: true }) revokedBy!: string | null;
}
