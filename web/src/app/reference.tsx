/** Parties and actors, loaded once per session: names for the codes the records carry. */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import type { Actor, Party } from '../api/types.ts';
import { useSession } from './session.tsx';

type Reference = {
  parties: Party[];
  actors: Actor[];
  partyName(id: string | null | undefined): string;
  actorName(id: string | null | undefined): string;
  actorParty(id: string | null | undefined): string | null;
};

const ReferenceContext = createContext<Reference | null>(null);

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const [parties, setParties] = useState<Party[]>([]);
  const [actors, setActors] = useState<Actor[]>([]);
  useEffect(() => {
    if (!me || me.mustChangePassword) return;
    api<Party[]>('/parties').then(setParties, () => setParties([]));
    api<Actor[]>('/actors').then(setActors, () => setActors([]));
  }, [me]);
  const value = useMemo<Reference>(() => {
    const partyById = new Map(parties.map((p) => [p.id, p]));
    const actorById = new Map(actors.map((a) => [a.id, a]));
    return {
      parties,
      actors,
      partyName: (id) => (id ? (partyById.get(id)?.name ?? id) : '—'),
      actorName: (id) => (id ? (actorById.get(id)?.name ?? id) : '—'),
      actorParty: (id) => (id ? (actorById.get(id)?.partyId ?? null) : null),
    };
  }, [parties, actors]);
  return <ReferenceContext.Provider value={value}>{children}</ReferenceContext.Provider>;
}

export function useReference(): Reference {
  const reference = useContext(ReferenceContext);
  if (!reference) throw new Error('useReference outside ReferenceProvider');
  return reference;
}
