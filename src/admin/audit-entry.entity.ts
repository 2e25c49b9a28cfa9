import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_ACTIONS = [
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.refreshed',
  'user.signed_out',
  'user.erased',
  'user.invited',
  'user.invitation_resent',
  'user.group_added',
  'user.group_removed',
  'user.password_reset',
  'user.pool_deleted',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Only the fields a change touched, by their API names. */
export type ChangedValues = Record<string, string | boolean | null>;

/** One admin change, written in the same transaction as the change itself. */
@Entity({ name: 'audit_entries' })
@Index('audit_entries_created_idx', ['createdAt', 'id'])
@Index('audit_entries_target_created_idx', ['targetId', 'createdAt'])
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId: string;

  /** Kept beside the id so the entry says who acted even to someone reading the table alone. */
  @Column({ name: 'actor_sub', type: 'varchar', length: 128 })
  actorSub: string;

  @Column({ type: 'varchar', length: 64 })
  action: AuditAction;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  @Column({ type: 'jsonb' })
  before: ChangedValues;

  @Column({ type: 'jsonb' })
  after: ChangedValues;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
