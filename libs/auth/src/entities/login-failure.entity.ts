import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One failed sign-in, kept for the sliding-window throttle (per account and per address). */
@Entity({ schema: 'identity', name: 'login_failure' })
export class LoginFailureEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { name: 'username_key' }) usernameKey!: string;
  @Column('text') address!: string;
  @Column('timestamptz', { default: () => 'now()' }) at!: Date;
}
