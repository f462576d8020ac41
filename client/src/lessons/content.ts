// The lesson renderer as the client loads it: a separate bundle (dist/lessons.js) required on the
// first lesson opened, so markdown-it and highlight.js cost nothing at activation.
export { renderLesson, type RenderedLesson, type LessonCallContext } from '../../../server/src/lessons/render';
export { renderLessonPage } from '../../../server/src/lessons/page';
export { findDiagramReferences } from '../../../server/src/diagrams/index';
