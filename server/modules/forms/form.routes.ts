import type { AppDeps } from '../../deps';
import { notFound } from '../../http/problem';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { ROLES } from '../users/user.schema';
import { FormDefinition, FormList, FormParams } from './form.schema';

export function formRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/forms',
      tag: 'forms',
      summary: 'List questionnaire versions',
      access: { roles: ROLES },
      responses: { 200: { description: 'Every installed version', schema: FormList } },
      handler: () => ({
        forms: deps.forms.list().map((f) => ({
          formId: f.definition.formId,
          version: f.definition.version,
          status: f.definition.status,
          title: f.definition.title,
          decision: f.definition.method.decision,
          items: f.items.length,
        })),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/forms/:formId/:version',
      tag: 'forms',
      summary: 'One questionnaire version, as data',
      description: 'Items, scales, code lists, skip rules and labels in Vietnamese and English. A published version never changes.',
      access: { roles: ROLES },
      params: FormParams,
      responses: { 200: { description: 'The definition', schema: FormDefinition }, 404: { description: 'No such version' } },
      handler: ({ params }) => {
        const form = deps.forms.get(params.formId, params.version);
        if (!form) throw notFound(`Questionnaire ${params.formId} version ${params.version}`);
        // Versions never change once published, so clients may keep them.
        return form.definition.status === 'published' ? jsonReply(form.definition, { cacheControl: CACHE.publishedVersion }) : form.definition;
      },
    }),
  ];
}
