package io.github.infisicaljca.conformance.dropin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.conformance.dropin.DropInKeys.Kind;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.RSAPSSParameterSpec;
import javax.xml.crypto.dsig.spec.SignatureMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * The JDK's XML Signature (JSR 105) making enveloped signatures with KMS handles (the provider
 * named on the {@link DOMSignContext}), each validated by the JDK's XMLDSig with the plain
 * public key while Infisical is not registered, so the JDK's own providers verify.
 */
class XmlDsigDropInTest {
    private static final DropInTally TALLY = new DropInTally("xmldsig");
    /** The JDK's XMLDSig reads the Signature provider from this context property. */
    private static final String SIGNATURE_PROVIDER = "org.jcp.xml.dsig.internal.dom.SignatureProvider";
    private static final String DOCUMENT = "<order id=\"42\"><item sku=\"drop-in\">one KMS key</item></order>";

    private static DropInKeys keys;

    @BeforeAll
    static void start() throws Exception {
        keys = DropInKeys.get();
    }

    @AfterAll
    static void summary() {
        TALLY.printAndAssert();
    }

    static Stream<Object[]> methods() {
        return Stream.of(new Object[] {"RSA-SHA256", SignatureMethod.RSA_SHA256, null, Kind.RSA},
                new Object[] {"RSA-SHA384", SignatureMethod.RSA_SHA384, null, Kind.RSA},
                new Object[] {"RSA-SHA512", SignatureMethod.RSA_SHA512, null, Kind.RSA},
                new Object[] {"SHA256-RSA-MGF1", SignatureMethod.SHA256_RSA_MGF1, null, Kind.RSA},
                new Object[] {"SHA384-RSA-MGF1", SignatureMethod.SHA384_RSA_MGF1, null, Kind.RSA},
                new Object[] {"SHA512-RSA-MGF1", SignatureMethod.SHA512_RSA_MGF1, null, Kind.RSA},
                new Object[] {"RSA-PSS SHA-256", SignatureMethod.RSA_PSS, pss("SHA-256", 32), Kind.RSA},
                new Object[] {"RSA-PSS SHA-384", SignatureMethod.RSA_PSS, pss("SHA-384", 48), Kind.RSA},
                new Object[] {"RSA-PSS SHA-512", SignatureMethod.RSA_PSS, pss("SHA-512", 64), Kind.RSA},
                new Object[] {"ECDSA-SHA256", SignatureMethod.ECDSA_SHA256, null, Kind.EC_P256},
                new Object[] {"ECDSA-SHA384", SignatureMethod.ECDSA_SHA384, null, Kind.EC_P384},
                new Object[] {"ECDSA-SHA512", SignatureMethod.ECDSA_SHA512, null, Kind.EC_P521});
    }

    private static RSAPSSParameterSpec pss(String hash, int salt) {
        return new RSAPSSParameterSpec(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt,
                PSSParameterSpec.TRAILER_FIELD_BC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void envelopedSignatureValidatesWithTheJdk(String label, String uri, AlgorithmParameterSpec params, Kind kind)
            throws Exception {
        DropInKeys.Key key = keys.key(kind);
        XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
        String signed = TALLY.value(label + " sign with handle", () -> {
            Document doc = parse(DOCUMENT);
            Reference ref = fac.newReference("", fac.newDigestMethod(DigestMethod.SHA256, null),
                    List.of(fac.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null)), null, null);
            SignedInfo si = fac.newSignedInfo(fac.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
                    (C14NMethodParameterSpec) null), fac.newSignatureMethod(uri, (SignatureMethodParameterSpec) params),
                    List.of(ref));
            DOMSignContext ctx = new DOMSignContext(key.handle(), doc.getDocumentElement());
            ctx.setProperty(SIGNATURE_PROVIDER, keys.provider());
            fac.newXMLSignature(si, null).sign(ctx);
            return serialize(doc);
        });
        TALLY.check(label + " JDK validates", () -> {
            assertNull(Security.getProvider(keys.provider().getName()), "validation must not see Infisical");
            assertTrue(validate(signed, key.publicKey()), "core validation with the plain public key");
        });
        TALLY.check(label + " altered document fails", () -> assertFalse(validate(
                signed.replace("one KMS key", "two KMS keys"), key.publicKey())));
    }

    private static boolean validate(String xml, PublicKey key) throws Exception {
        Document doc = parse(xml);
        org.w3c.dom.NodeList signatures = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        assertEquals(1, signatures.getLength());
        Node signature = signatures.item(0);
        DOMValidateContext ctx = new DOMValidateContext(key, signature);
        return XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(ctx).validate(ctx);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String serialize(Document doc) throws Exception {
        StringWriter out = new StringWriter();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
        return out.toString();
    }
}
