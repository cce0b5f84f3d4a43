/**
 * XML Schemas generated from the field tables (fields.ts). They check element order, presence
 * of required elements, value shape (digits, dates, decimals) and maximum lengths. They are OUR
 * schemas derived from secondary sources, not the BHXH portal's XSD (which we could not obtain).
 */
import { TABLES, type FieldDef, type TableId } from './fields';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** The value pattern of a field (XSD regex syntax, implicitly anchored), without the empty option. */
export function fieldPattern(f: FieldDef): string | undefined {
  if (f.pattern) return f.pattern;
  switch (f.kind) {
    case 'integer':
      return '\\d+';
    case 'decimal':
      return `\\d+(\\.\\d{1,${f.fractionDigits ?? 2}})?`;
    case 'datetime12':
      return '\\d{12}';
    case 'date8':
      return '\\d{8}';
    case 'string':
      return undefined;
  }
}

function simpleType(f: FieldDef): string {
  const facets: string[] = [];
  if (f.required) facets.push('<xs:minLength value="1"/>');
  if (f.maxLength !== undefined) facets.push(`<xs:maxLength value="${f.maxLength}"/>`);
  const p = fieldPattern(f);
  if (p) facets.push(`<xs:pattern value="${esc(f.required ? p : `(${p})?`)}"/>`);
  return `<xs:simpleType><xs:restriction base="xs:string">${facets.join('')}</xs:restriction></xs:simpleType>`;
}

function element(f: FieldDef): string {
  return `<xs:element name="${f.name}"${f.required ? '' : ' minOccurs="0"'}>${simpleType(f)}</xs:element>`;
}

const SIGNATURE =
  '<xs:element name="CHUKYDONVI" minOccurs="0"><xs:complexType mixed="true"><xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded" processContents="skip"/></xs:sequence></xs:complexType></xs:element>';

/** XSD of one table's own document. */
export function tableXsd(id: TableId): string {
  const def = TABLES[id];
  const record = `<xs:sequence>${def.fields.map(element).join('')}</xs:sequence>`;
  const sig = id === 'XML0' ? SIGNATURE : '';
  const body = def.repeating
    ? `<xs:element name="${def.root}"><xs:complexType><xs:sequence><xs:element name="${def.list ?? ''}"><xs:complexType><xs:sequence><xs:element name="${def.record}" maxOccurs="unbounded"><xs:complexType>${record}</xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>${sig}</xs:sequence></xs:complexType></xs:element>`
    : `<xs:element name="${def.root}"><xs:complexType>${record}</xs:complexType></xs:element>`;
  return `<?xml version="1.0" encoding="utf-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">${body}</xs:schema>\n`;
}

/** XSD of the GIAMDINHHS envelope (LOAIHOSO restricted to the tables this library produces). */
export function envelopeXsd(): string {
  const loai = ['XML1', 'XML2', 'XML3', 'XML4', 'XML8', 'XML14']
    .map((v) => `<xs:enumeration value="${v}"/>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">' +
    '<xs:element name="GIAMDINHHS"><xs:complexType><xs:sequence>' +
    '<xs:element name="THONGTINDONVI"><xs:complexType><xs:sequence><xs:element name="MACSKCB"><xs:simpleType><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="5"/></xs:restriction></xs:simpleType></xs:element></xs:sequence></xs:complexType></xs:element>' +
    '<xs:element name="THONGTINHOSO"><xs:complexType><xs:sequence>' +
    '<xs:element name="NGAYLAP"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="\\d{8}"/></xs:restriction></xs:simpleType></xs:element>' +
    '<xs:element name="SOLUONGHOSO" type="xs:positiveInteger"/>' +
    '<xs:element name="DANHSACHHOSO"><xs:complexType><xs:sequence><xs:element name="HOSO" maxOccurs="unbounded"><xs:complexType><xs:sequence>' +
    `<xs:element name="FILEHOSO" maxOccurs="unbounded"><xs:complexType><xs:sequence><xs:element name="LOAIHOSO"><xs:simpleType><xs:restriction base="xs:string">${loai}</xs:restriction></xs:simpleType></xs:element><xs:element name="NOIDUNGFILE" type="xs:base64Binary"/></xs:sequence></xs:complexType></xs:element>` +
    '</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>' +
    `</xs:sequence></xs:complexType></xs:element>${SIGNATURE}` +
    '</xs:sequence></xs:complexType></xs:element></xs:schema>\n'
  );
}
