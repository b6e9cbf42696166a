import { ConfigError, type Dialogue, type MetaTemplate, type MetaTemplateRole } from '../spec/index.js';

/**
 * A dialogue as one string through a model's meta template (OpenCompass's `LMTemplateParser` with one): the
 * template's `begin`, then each turn as `role.begin + prompt + role.end`. The generation turn (or, in dialogues
 * without the marker, an empty last turn of the generating role) contributes only its role's `begin`, so the
 * text ends where the model should write; text the template put in it (MBPP's `[BEGIN]\n`) is dropped.
 */
export function renderMetaTemplate(dialogue: Dialogue, metaTemplate: MetaTemplate): string {
  let text = metaTemplate.begin ?? '';
  dialogue.forEach((item, index) => {
    if (item.type === 'text') {
      text += item.text;
      return;
    }
    const role = findRole(metaTemplate, item.role);
    const isGenerationSlot = item.generation === true || (index === dialogue.length - 1 && role.generate === true && item.prompt === '');
    text += (role.begin ?? '') + (isGenerationSlot ? '' : item.prompt + (role.end ?? ''));
  });
  return text;
}

function findRole(metaTemplate: MetaTemplate, role: string): MetaTemplateRole {
  const found = metaTemplate.round.find((candidate) => candidate.role === role);
  if (!found) {
    throw new ConfigError({
      field: 'metaTemplate.round',
      message: `the meta template has no entry for role ${role} (roles: ${metaTemplate.round.map((entry) => entry.role).join(', ')})`,
    });
  }
  return found;
}
