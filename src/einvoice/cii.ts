/**
 * R80: the EN 16931 model written as UN/CEFACT Cross Industry Invoice D16B
 * (`CrossIndustryInvoice`, type 380, or 381 for a correction), following the CEN syntax
 * binding for CII. Element order is the D16B schema's.
 */
import type { EnInvoice, EnLine, EnParty, EnVat } from '../domain/einvoice/model.js';
import { serialize, XmlElement } from './xml-tree.js';

const NAMESPACES = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
};

/** CII dates are YYYYMMDD with format code 102. */
function date(parent: XmlElement, name: string, iso: string, type: 'udt' | 'qdt' = 'udt'): void {
  parent.child(name).leaf(`${type}:DateTimeString`, iso.replaceAll('-', ''), { format: '102' });
}

/** ram:ApplicableTradeTax of a line or ram:CategoryTradeTax of an allowance. */
function tradeTax(parent: XmlElement, name: string, vat: EnVat): void {
  parent
    .child(name)
    .leaf('ram:TypeCode', 'VAT')
    .leaf('ram:CategoryCode', vat.category)
    .leaf('ram:RateApplicablePercent', vat.rate);
}

function period(parent: XmlElement, p: { start: string; end: string }): void {
  const s = parent.child('ram:BillingSpecifiedPeriod');
  date(s, 'ram:StartDateTime', p.start);
  date(s, 'ram:EndDateTime', p.end);
}

function party(parent: XmlElement, name: string, p: EnParty): void {
  const tp = parent.child(name).leaf('ram:Name', p.name);
  if (p.legalRegistrationId) {
    tp.child('ram:SpecifiedLegalOrganization').leaf('ram:ID', p.legalRegistrationId);
  }
  if (p.phone || p.email) {
    const c = tp.child('ram:DefinedTradeContact');
    if (p.phone) c.child('ram:TelephoneUniversalCommunication').leaf('ram:CompleteNumber', p.phone);
    if (p.email) c.child('ram:EmailURIUniversalCommunication').leaf('ram:URIID', p.email);
  }
  tp.child('ram:PostalTradeAddress')
    .leaf('ram:PostcodeCode', p.address.postCode)
    .leaf('ram:LineOne', p.address.line1)
    .leaf('ram:LineTwo', p.address.line2)
    .leaf('ram:CityName', p.address.city)
    .leaf('ram:CountryID', p.address.country)
    .leaf('ram:CountrySubDivisionName', p.address.subdivision);
  if (p.electronicAddress) {
    tp.child('ram:URIUniversalCommunication').leaf('ram:URIID', p.electronicAddress.value, {
      schemeID: p.electronicAddress.scheme,
    });
  }
  if (p.vatId) {
    tp.child('ram:SpecifiedTaxRegistration').leaf('ram:ID', p.vatId, { schemeID: 'VA' });
  }
}

function line(parent: XmlElement, l: EnLine): void {
  const li = parent.child('ram:IncludedSupplyChainTradeLineItem');
  li.child('ram:AssociatedDocumentLineDocument').leaf('ram:LineID', l.id);
  li.child('ram:SpecifiedTradeProduct').leaf('ram:Name', l.name);
  li.child('ram:SpecifiedLineTradeAgreement')
    .child('ram:NetPriceProductTradePrice')
    .leaf('ram:ChargeAmount', l.price)
    .leaf('ram:BasisQuantity', l.baseQuantity, { unitCode: l.unitCode });
  li.child('ram:SpecifiedLineTradeDelivery').leaf('ram:BilledQuantity', l.quantity, {
    unitCode: l.unitCode,
  });
  const s = li.child('ram:SpecifiedLineTradeSettlement');
  tradeTax(s, 'ram:ApplicableTradeTax', l.vat);
  period(s, l.period);
  s.child('ram:SpecifiedTradeSettlementLineMonetarySummation').leaf(
    'ram:LineTotalAmount',
    l.netAmount,
  );
}

/** The CII D16B XML of an EN 16931 invoice or credit note. */
export function writeCii(inv: EnInvoice): string {
  const root = new XmlElement({
    'xmlns:rsm': NAMESPACES.rsm,
    'xmlns:ram': NAMESPACES.ram,
    'xmlns:udt': NAMESPACES.udt,
    'xmlns:qdt': NAMESPACES.qdt,
  });

  const ctx = root.child('rsm:ExchangedDocumentContext');
  if (inv.businessProcess) {
    ctx
      .child('ram:BusinessProcessSpecifiedDocumentContextParameter')
      .leaf('ram:ID', inv.businessProcess);
  }
  ctx.child('ram:GuidelineSpecifiedDocumentContextParameter').leaf('ram:ID', inv.specificationId);

  const header = root
    .child('rsm:ExchangedDocument')
    .leaf('ram:ID', inv.number)
    .leaf('ram:TypeCode', inv.typeCode);
  date(header, 'ram:IssueDateTime', inv.issueDate);
  if (inv.note) header.child('ram:IncludedNote').leaf('ram:Content', inv.note);

  const tx = root.child('rsm:SupplyChainTradeTransaction');
  for (const l of inv.lines) line(tx, l);

  const agreement = tx
    .child('ram:ApplicableHeaderTradeAgreement')
    .leaf('ram:BuyerReference', inv.buyerReference);
  party(agreement, 'ram:SellerTradeParty', inv.seller);
  party(agreement, 'ram:BuyerTradeParty', inv.buyer);
  if (inv.purchaseOrder) {
    agreement
      .child('ram:BuyerOrderReferencedDocument')
      .leaf('ram:IssuerAssignedID', inv.purchaseOrder);
  }

  const delivery = tx.child('ram:ApplicableHeaderTradeDelivery');
  if (inv.deliverToCountry) {
    delivery
      .child('ram:ShipToTradeParty')
      .child('ram:PostalTradeAddress')
      .leaf('ram:CountryID', inv.deliverToCountry);
  }

  const settlement = tx
    .child('ram:ApplicableHeaderTradeSettlement')
    .leaf('ram:PaymentReference', inv.paymentMeans?.remittanceInformation)
    .leaf('ram:InvoiceCurrencyCode', inv.currency);
  if (inv.paymentMeans) {
    const pm = settlement
      .child('ram:SpecifiedTradeSettlementPaymentMeans')
      .leaf('ram:TypeCode', inv.paymentMeans.code);
    pm.child('ram:PayeePartyCreditorFinancialAccount')
      .leaf('ram:IBANID', inv.paymentMeans.iban)
      .leaf('ram:AccountName', inv.paymentMeans.accountName);
    if (inv.paymentMeans.bic) {
      pm.child('ram:PayeeSpecifiedCreditorFinancialInstitution').leaf(
        'ram:BICID',
        inv.paymentMeans.bic,
      );
    }
  }
  for (const b of inv.vatBreakdown) {
    settlement
      .child('ram:ApplicableTradeTax')
      .leaf('ram:CalculatedAmount', b.taxAmount)
      .leaf('ram:TypeCode', 'VAT')
      .leaf('ram:ExemptionReason', b.exemptionReason)
      .leaf('ram:BasisAmount', b.taxableAmount)
      .leaf('ram:CategoryCode', b.vat.category)
      .leaf('ram:RateApplicablePercent', b.vat.rate);
  }
  period(settlement, inv.invoicingPeriod);
  for (const a of inv.allowances) {
    const ac = settlement.child('ram:SpecifiedTradeAllowanceCharge');
    ac.child('ram:ChargeIndicator').leaf('udt:Indicator', 'false');
    ac.leaf('ram:ActualAmount', a.amount).leaf('ram:Reason', a.reason);
    tradeTax(ac, 'ram:CategoryTradeTax', a.vat);
  }
  const terms = settlement
    .child('ram:SpecifiedTradePaymentTerms')
    .leaf('ram:Description', inv.paymentTerms);
  date(terms, 'ram:DueDateDateTime', inv.dueDate);

  settlement
    .child('ram:SpecifiedTradeSettlementHeaderMonetarySummation')
    .leaf('ram:LineTotalAmount', inv.totals.lineNet)
    .leaf('ram:AllowanceTotalAmount', inv.totals.allowances)
    .leaf('ram:TaxBasisTotalAmount', inv.totals.taxExclusive)
    .leaf('ram:TaxTotalAmount', inv.totals.taxTotal, { currencyID: inv.currency })
    .leaf('ram:GrandTotalAmount', inv.totals.taxInclusive)
    .leaf('ram:DuePayableAmount', inv.totals.payable);

  if (inv.precedingInvoice) {
    const ref = settlement
      .child('ram:InvoiceReferencedDocument')
      .leaf('ram:IssuerAssignedID', inv.precedingInvoice.number);
    if (inv.precedingInvoice.issueDate) {
      date(ref, 'ram:FormattedIssueDateTime', inv.precedingInvoice.issueDate, 'qdt');
    }
  }
  return serialize('rsm:CrossIndustryInvoice', root);
}
