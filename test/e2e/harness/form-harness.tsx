import { render } from 'preact';
import { useState } from 'preact/hooks';
import validators from 'sipas:form-validators';
import { compileForm } from '../../../survey-forms/form';
import type { Answers } from '../../../web/src/form-model';
import { FormRunner } from '../../../web/src/form-runner';
import type { Lang } from '../../../web/src/i18n';

/** A page with nothing but the app's questionnaire walker, for a questionnaire the test supplies. */
const harness = window as unknown as { definition: unknown; lang: Lang; completed?: Answers };

function Harness() {
  // Validators built with the bundle, as the app's are: the page's CSP forbids compiling code.
  const form = compileForm(harness.definition, 'test form', validators);
  const [answers, setAnswers] = useState<Answers>({});
  const [section, setSection] = useState(0);
  return (
    <FormRunner
      form={form}
      lang={harness.lang}
      answers={answers}
      sectionIndex={section}
      onAnswers={setAnswers}
      onSection={setSection}
      onComplete={() => {
        harness.completed = answers;
        document.body.dataset.completed = 'yes';
      }}
    />
  );
}

const root = document.getElementById('app');
if (root) render(<Harness />, root);
