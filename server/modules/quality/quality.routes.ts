import type { CataloguedProblem } from '../../../survey-forms/ajv';
import type { BoundaryEdition } from '../../../survey-forms/provinces';
import type { AppDeps } from '../../deps';
import { validationFailed } from '../../http/problem';
import { defineRoute, type RouteSpec } from '../../http/route';
import { AreasBody, AreasReply, EditionParams } from './province-area.schema';

/** Province areas for the out-of-area check: uploaded by an administrator, none shipped. */
export function qualityRoutes(deps: AppDeps): RouteSpec[] {
  const list = async (edition: BoundaryEdition) => ({
    edition,
    areas: (await deps.repos.provinceAreas.list(edition)).map((a) => ({
      provinceCode: a.provinceCode,
      minLat: a.minLat,
      minLon: a.minLon,
      maxLat: a.maxLat,
      maxLon: a.maxLon,
      updatedAt: a.updatedAt.toISOString(),
      updatedBy: a.updatedBy,
    })),
  });
  return [
    defineRoute({
      method: 'put',
      path: '/api/v1/province-areas/:edition',
      tag: 'quality',
      summary: 'Upload province areas (bounding boxes) for the out-of-area check (admin)',
      description:
        'The platform ships no province geodata: the out-of-area rule runs only for provinces whose area is uploaded here. ' +
        'Each listed province\'s box replaces the stored one; others are left as they are. Responses checked before the upload keep their verdict.',
      access: { roles: ['admin'] },
      params: EditionParams,
      body: AreasBody,
      responses: {
        200: { description: 'The areas of the edition now', schema: AreasReply },
        400: { description: 'A province not of the edition, a box whose minimum exceeds its maximum, or a province listed twice' },
      },
      handler: async ({ params, body, user }) => {
        const edition = params.edition;
        const problems: CataloguedProblem[] = [];
        const seen = new Set<string>();
        body.areas.forEach((a, i) => {
          const at = `/body/areas/${i}`;
          if (!deps.provinces.province(edition, a.provinceCode)) problems.push({ path: `${at}/provinceCode`, code: 'unknown_province', message: `is not a province of the ${edition}-unit edition` });
          if (seen.has(a.provinceCode)) problems.push({ path: `${at}/provinceCode`, code: 'repeated', message: 'is listed twice' });
          seen.add(a.provinceCode);
          if (a.minLat >= a.maxLat) problems.push({ path: `${at}/maxLat`, code: 'too_small', message: 'must be greater than minLat' });
          if (a.minLon >= a.maxLon) problems.push({ path: `${at}/maxLon`, code: 'too_small', message: 'must be greater than minLon' });
        });
        if (problems.length > 0) throw validationFailed(problems);
        const now = new Date();
        await deps.repos.provinceAreas.upsert(body.areas.map((a) => ({ ...a, edition, updatedAt: now, updatedBy: user.username })));
        return list(edition);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/province-areas/:edition',
      tag: 'quality',
      summary: 'Province areas known to the out-of-area check (admin, supervisor)',
      access: { roles: ['admin', 'supervisor'] },
      params: EditionParams,
      responses: { 200: { description: 'The areas', schema: AreasReply } },
      handler: ({ params }) => list(params.edition),
    }),
  ];
}
