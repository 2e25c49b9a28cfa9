import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
@Index('users_pool_sub_key', ['pool', 'sub'], { unique: true })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The user pool, by its name in the configuration (`default`, or one of COGNITO_POOLS): a person is their pool and `sub`. */
  @Column({ type: 'varchar', length: 32, default: 'default' })
  pool: string;

  /** The Cognito subject: with the pool, the stable link between a pool user and this row. */
  @Column({ type: 'varchar', length: 128 })
  sub: string;

  // Pool attributes (username may be preferred_username) are up to 2048 characters in Cognito.
  @Column({ type: 'varchar', length: 2048, nullable: true })
  username: string | null;

  /** The pool's own user name (the token's `username`), never preferred_username: what the pool's admin calls take. */
  @Column({ name: 'pool_username', type: 'varchar', length: 128, nullable: true })
  poolUsername: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  email: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  @Column({ name: 'first_name', type: 'varchar', length: 2048, nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 2048, nullable: true })
  lastName: string | null;

  @Column({ name: 'preferred_email', type: 'varchar', length: 254, nullable: true })
  preferredEmail: string | null;

  @Column({ name: 'github_handle', type: 'varchar', length: 39, nullable: true })
  githubHandle: string | null;

  @Column({ name: 'slack_member_id', type: 'varchar', length: 32, nullable: true })
  slackMemberId: string | null;

  @Column({ name: 'linkedin_account', type: 'varchar', length: 200, nullable: true })
  linkedinAccount: string | null;

  /** E.164, e.g. +14155550123. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone: string | null;

  @Column({ name: 'texting_ok', type: 'boolean', default: false })
  textingOk: boolean;

  /** IANA time zone name, e.g. America/Los_Angeles. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  /** When the pool's attributes were copied in; null until a GetUser call has succeeded. */
  @Column({ name: 'profile_synced_at', type: 'timestamptz', nullable: true })
  profileSyncedAt: Date | null;

  /** Set once the user edits their names here: from then on the pool no longer overwrites them. */
  @Column({ name: 'names_edited', type: 'boolean', default: false })
  namesEdited: boolean;

  /** Tokens issued (`iat`, whole seconds) before this instant are refused (sign out everywhere). */
  @Column({ name: 'tokens_revoked_before', type: 'timestamptz', nullable: true })
  tokensRevokedBefore: Date | null;

  /** The last request, to within ten minutes (written at most that often). */
  @Index('users_last_seen_idx')
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;

  /** When an admin invited the person (the pool account was created then); null for people who came by themselves. */
  @Column({ name: 'invited_at', type: 'timestamptz', nullable: true })
  invitedAt: Date | null;

  /** Set when an admin erased the person's data; the row stays as a tombstone holding only ids. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
