/**
 * R80: the EN 16931 model written as OASIS UBL 2.1: an `Invoice` (type 380) or, for a
 * correction, a `CreditNote` (type 381), following the CEN syntax binding for UBL. Element
 * order is the UBL schema's.
 */
import type {
  EnAllowance,
  EnInvoice,
  EnLine,
  EnParty,
  EnVat,
  EnVatBreakdown,
} from '../domain/einvoice/model.js';
import { serialize, XmlElement } from './xml-tree.js';

const NAMESPACES = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

function taxScheme(parent: XmlElement): void {
  parent.child('cac:TaxScheme').leaf('cbc:ID', 'VAT');
}

/** cac:TaxCategory / cac:ClassifiedTaxCategory: BT-151/152, BT-95/96, BT-118/119/120. */
function taxCategory(
  parent: XmlElement,
  name: string,
  vat: EnVat,
  exemptionReason?: string | null,
): void {
  const c = parent
    .child(name)
    .leaf('cbc:ID', vat.category)
    .leaf('cbc:Percent', vat.rate)
    .leaf('cbc:TaxExemptionReason', exemptionReason);
  taxScheme(c);
}

function party(parent: XmlElement, name: string, p: EnParty): void {
  const party = parent.child(name).child('cac:Party');
  if (p.electronicAddress) {
    party.leaf('cbc:EndpointID', p.electronicAddress.value, {
      schemeID: p.electronicAddress.scheme,
    });
  }
  party
    .child('cac:PostalAddress')
    .leaf('cbc:StreetName', p.address.line1)
    .leaf('cbc:AdditionalStreetName', p.address.line2)
    .leaf('cbc:CityName', p.address.city)
    .leaf('cbc:PostalZone', p.address.postCode)
    .leaf('cbc:CountrySubentity', p.address.subdivision)
    .child('cac:Country')
    .leaf('cbc:IdentificationCode', p.address.country);
  if (p.vatId) taxScheme(party.child('cac:PartyTaxScheme').leaf('cbc:CompanyID', p.vatId));
  party
    .child('cac:PartyLegalEntity')
    .leaf('cbc:RegistrationName', p.name)
    .leaf('cbc:CompanyID', p.legalRegistrationId);
  if (p.phone || p.email) {
    party.child('cac:Contact').leaf('cbc:Telephone', p.phone).leaf('cbc:ElectronicMail', p.email);
  }
}

function allowance(parent: XmlElement, a: EnAllowance, currency: string): void {
  const ac = parent
    .child('cac:AllowanceCharge')
    .leaf('cbc:ChargeIndicator', 'false')
    .leaf('cbc:AllowanceChargeReason', a.reason)
    .leaf('cbc:Amount', a.amount, { currencyID: currency });
  taxCategory(ac, 'cac:TaxCategory', a.vat);
}

function subtotal(parent: XmlElement, b: EnVatBreakdown, currency: string): void {
  const s = parent
    .child('cac:TaxSubtotal')
    .leaf('cbc:TaxableAmount', b.taxableAmount, { currencyID: currency })
    .leaf('cbc:TaxAmount', b.taxAmount, { currencyID: currency });
  taxCategory(s, 'cac:TaxCategory', b.vat, b.exemptionReason);
}

function line(parent: XmlElement, l: EnLine, credit: boolean, currency: string): void {
  const ln = parent
    .child(credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine')
    .leaf('cbc:ID', l.id)
    .leaf(credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', l.quantity, {
      unitCode: l.unitCode,
    })
    .leaf('cbc:LineExtensionAmount', l.netAmount, { currencyID: currency });
  ln.child('cac:InvoicePeriod')
    .leaf('cbc:StartDate', l.period.start)
    .leaf('cbc:EndDate', l.period.end);
  taxCategory(ln.child('cac:Item').leaf('cbc:Name', l.name), 'cac:ClassifiedTaxCategory', l.vat);
  const price = ln.child('cac:Price').leaf('cbc:PriceAmount', l.price, { currencyID: currency });
  if (l.baseQuantity) price.leaf('cbc:BaseQuantity', l.baseQuantity, { unitCode: l.unitCode });
}

/** The UBL 2.1 XML of an EN 16931 invoice or credit note. */
export function writeUbl(inv: EnInvoice): string {
  const credit = inv.typeCode === '381';
  const rootName = credit ? 'CreditNote' : 'Invoice';
  const root = new XmlElement({
    xmlns: NAMESPACES[rootName],
    'xmlns:cac': NAMESPACES.cac,
    'xmlns:cbc': NAMESPACES.cbc,
  });
  const cur = { currencyID: inv.currency };

  root
    .leaf('cbc:CustomizationID', inv.specificationId)
    .leaf('cbc:ProfileID', inv.businessProcess)
    .leaf('cbc:ID', inv.number)
    .leaf('cbc:IssueDate', inv.issueDate)
    // UBL 2.1's CreditNote has no DueDate: there BT-9 goes to the payment means.
    .leaf('cbc:DueDate', credit ? null : inv.dueDate)
    .leaf(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', inv.typeCode)
    .leaf('cbc:Note', inv.note)
    .leaf('cbc:DocumentCurrencyCode', inv.currency)
    .leaf('cbc:BuyerReference', inv.buyerReference);
  root
    .child('cac:InvoicePeriod')
    .leaf('cbc:StartDate', inv.invoicingPeriod.start)
    .leaf('cbc:EndDate', inv.invoicingPeriod.end);
  if (inv.purchaseOrder) root.child('cac:OrderReference').leaf('cbc:ID', inv.purchaseOrder);
  if (inv.precedingInvoice) {
    root
      .child('cac:BillingReference')
      .child('cac:InvoiceDocumentReference')
      .leaf('cbc:ID', inv.precedingInvoice.number)
      .leaf('cbc:IssueDate', inv.precedingInvoice.issueDate);
  }
  party(root, 'cac:AccountingSupplierParty', inv.seller);
  party(root, 'cac:AccountingCustomerParty', inv.buyer);
  if (inv.deliverToCountry) {
    root
      .child('cac:Delivery')
      .child('cac:DeliveryLocation')
      .child('cac:Address')
      .child('cac:Country')
      .leaf('cbc:IdentificationCode', inv.deliverToCountry);
  }
  if (inv.paymentMeans) {
    const pm = root
      .child('cac:PaymentMeans')
      .leaf('cbc:PaymentMeansCode', inv.paymentMeans.code)
      .leaf('cbc:PaymentDueDate', credit ? inv.dueDate : null)
      .leaf('cbc:PaymentID', inv.paymentMeans.remittanceInformation);
    const account = pm
      .child('cac:PayeeFinancialAccount')
      .leaf('cbc:ID', inv.paymentMeans.iban)
      .leaf('cbc:Name', inv.paymentMeans.accountName);
    if (inv.paymentMeans.bic) {
      account.child('cac:FinancialInstitutionBranch').leaf('cbc:ID', inv.paymentMeans.bic);
    }
  }
  root.child('cac:PaymentTerms').leaf('cbc:Note', inv.paymentTerms);
  for (const a of inv.allowances) allowance(root, a, inv.currency);

  const taxTotal = root.child('cac:TaxTotal').leaf('cbc:TaxAmount', inv.totals.taxTotal, cur);
  for (const b of inv.vatBreakdown) subtotal(taxTotal, b, inv.currency);

  root
    .child('cac:LegalMonetaryTotal')
    .leaf('cbc:LineExtensionAmount', inv.totals.lineNet, cur)
    .leaf('cbc:TaxExclusiveAmount', inv.totals.taxExclusive, cur)
    .leaf('cbc:TaxInclusiveAmount', inv.totals.taxInclusive, cur)
    .leaf('cbc:AllowanceTotalAmount', inv.totals.allowances, cur)
    .leaf('cbc:PayableAmount', inv.totals.payable, cur);

  for (const l of inv.lines) line(root, l, credit, inv.currency);
  return serialize(rootName, root);
}
