/** The group info form: what the person typed, checked the way the server checks it. */
import { limits, type GroupConversation, type UpdateGroupPayload } from '../../protocol/index.js';
import type { MessageKey } from '../i18n/index.js';

export interface GroupFormValues {
  name: string;
  description: string;
  announcement: string;
  avatar: string;
}

export type GroupFormField = keyof GroupFormValues;

/** A field's problem: a catalogue key and its parameters. */
export interface FieldProblem {
  key: MessageKey;
  params?: Record<string, number>;
}

export type FormProblems = Partial<Record<GroupFormField, FieldProblem>>;

// C0 control characters other than tab, line feed and carriage return (as the server's schema).
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function formValues(group: GroupConversation): GroupFormValues {
  return {
    name: group.name,
    description: group.description,
    announcement: group.announcement,
    avatar: group.avatar ?? '',
  };
}

export function checkForm(values: GroupFormValues): FormProblems {
  const problems: FormProblems = {};
  const name = values.name.trim();
  if (!name) problems.name = { key: 'groupPanel.nameRequired' };
  else problems.name = checkText(name, limits.nameLength);
  problems.description = checkText(values.description.trim(), limits.descriptionLength);
  problems.announcement = checkText(values.announcement.trim(), limits.announcementLength);
  problems.avatar = checkUrl(values.avatar.trim());
  for (const field of Object.keys(problems) as GroupFormField[]) {
    if (!problems[field]) delete problems[field];
  }
  return problems;
}

/** Only what differs from the group as it is now; null when nothing does. */
export function changesFrom(
  group: GroupConversation,
  values: GroupFormValues,
): Omit<UpdateGroupPayload, 'conversationId'> | null {
  const changes: Omit<UpdateGroupPayload, 'conversationId'> = {};
  const name = values.name.trim();
  const description = values.description.trim();
  const announcement = values.announcement.trim();
  const avatar = values.avatar.trim() || null;
  if (name !== group.name) changes.name = name;
  if (description !== group.description) changes.description = description;
  if (announcement !== group.announcement) changes.announcement = announcement;
  if (avatar !== group.avatar) changes.avatar = avatar;
  return Object.keys(changes).length > 0 ? changes : null;
}

function checkText(value: string, max: number): FieldProblem | undefined {
  if (value.length > max) return { key: 'groupPanel.tooLong', params: { max } };
  if (controlCharacters.test(value)) return { key: 'groupPanel.controlCharacters' };
  return undefined;
}

function checkUrl(value: string): FieldProblem | undefined {
  if (!value) return undefined;
  if (value.length > limits.urlLength) return { key: 'groupPanel.tooLong', params: { max: limits.urlLength } };
  try {
    const { protocol } = new URL(value);
    if (protocol === 'http:' || protocol === 'https:') return undefined;
  } catch {
    // not a URL at all: the same advice
  }
  return { key: 'groupPanel.badUrl' };
}
