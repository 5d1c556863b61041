/** Traffic Light Protocol 2.0 levels and who is listed on a record (CODEBOOK § Sharing). */
import { z } from 'zod';
import { PartyCodeSchema } from './text.ts';

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const TlpSchema = z.enum(TLP_LEVELS);
export type Tlp = z.infer<typeof TlpSchema>;

/** Records without an explicit level are for registered users, never public by accident. */
export const DEFAULT_TLP: Tlp = 'GREEN';

/**
 * The sharing fields every shared record carries. AMBER lists the parties that may see it;
 * AMBER+STRICT exactly one; RED names people (user ids) rather than parties.
 */
export const SharingSchema = z
  .object({
    tlp: TlpSchema.default(DEFAULT_TLP),
    recipients: z.array(z.string().min(1).max(100)).max(50).default([]),
  })
  .superRefine((value, ctx) => {
    if (value.tlp === 'AMBER+STRICT' && value.recipients.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['recipients'], message: 'AMBER+STRICT lists exactly one party' });
    }
    if (value.tlp === 'AMBER' || value.tlp === 'AMBER+STRICT') {
      for (const [i, recipient] of value.recipients.entries()) {
        if (!PartyCodeSchema.safeParse(recipient).success) {
          ctx.addIssue({ code: 'custom', path: ['recipients', i], message: 'must be a party code' });
        }
      }
    }
  });
export type Sharing = z.infer<typeof SharingSchema>;
