const h = crypto.createHash('md5').update(password).digest('hex'); // want: AUR305
const etag = crypto.createHash('md5').update(body).digest('hex');
