import type { AppDeps } from '../../deps';
import { notFound } from '../../http/problem';
import { CACHE, jsonReply } from '../../http/reply';
import { defineRoute, type RouteSpec } from '../../http/route';
import { ROLES } from '../users/user.schema';
import { IndexDefinition, IndexDefinitionList, IndexDefinitionParams } from './index-definition.schema';

export function indexDefinitionRoutes(deps: AppDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/index-definitions',
      tag: 'index definitions',
      summary: 'List index definition versions',
      access: { roles: ROLES },
      responses: { 200: { description: 'Every installed version', schema: IndexDefinitionList } },
      handler: () => ({
        indexDefinitions: deps.definitions.list().map((d) => ({
          definitionId: d.definition.definitionId,
          version: d.definition.version,
          status: d.definition.status,
          title: d.definition.title,
          decision: d.definition.method.decision,
          appliesTo: d.definition.appliesTo,
          indicators: d.indicators.length,
          minimumN: d.minimumN,
        })),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/index-definitions/:definitionId/:version',
      tag: 'index definitions',
      summary: 'One index definition version, as data',
      description:
        'Which answers count as satisfied, which items make which criterion, which criteria make which element, component and the overall ' +
        'index, how each level combines its children, and the minimum n. A published version never changes.',
      access: { roles: ROLES },
      params: IndexDefinitionParams,
      responses: { 200: { description: 'The definition', schema: IndexDefinition }, 404: { description: 'No such version' } },
      handler: ({ params }) => {
        const found = deps.definitions.get(params.definitionId, params.version);
        if (!found) throw notFound(`Index definition ${params.definitionId} version ${params.version}`);
        // Versions never change once published, so clients may keep them.
        return found.definition.status === 'published' ? jsonReply(found.definition, { cacheControl: CACHE.publishedVersion }) : found.definition;
      },
    }),
  ];
}
