// `npm run lint:docs`: every relative link and #anchor in the markdown resolves; nothing is fetched.
import remarkGfm from 'remark-gfm';
import remarkValidateLinks from 'remark-validate-links';

export default { plugins: [remarkGfm, [remarkValidateLinks, { repository: false }]] };
