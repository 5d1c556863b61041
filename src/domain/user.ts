/** Users of the mechanism and their roles (who may enter, verify, read, or speak for a party). */
import { z } from 'zod';
import { PartyCodeSchema } from './text.ts';

export const USER_ROLES = ['admin', 'monitor', 'analyst', 'delegate'] as const;
export const UserRoleSchema = z.enum(USER_ROLES);

export const UserInputSchema = z
  .object({
    username: z
      .string()
      .min(2)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, and . _ - only'),
    role: UserRoleSchema,
    /** A delegate speaks for exactly one party; nobody else is bound to one. */
    partyId: PartyCodeSchema.nullable().default(null),
  })
  .refine((u) => (u.role === 'delegate') === (u.partyId !== null), {
    message: 'a delegate needs a partyId, and only a delegate has one',
    path: ['partyId'],
  });
export type UserInput = z.input<typeof UserInputSchema>;
