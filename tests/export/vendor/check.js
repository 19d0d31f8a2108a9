// Load a GraphML or GEXF file the way Gephi Lite / sigma.js users do (graphology +
// graphology-graphml / graphology-gexf, DOM from @xmldom/xmldom) and print
// "nodes=N edges=M unlabeled=U".  usage: node graphology-check.cjs FILE.graphml|FILE.gexf
'use strict';
const fs = require('fs');
const {DOMParser} = require('@xmldom/xmldom');
global.DOMParser = DOMParser;
const Graph = require('graphology');
const graphml = require('graphology-graphml');
const gexf = require('graphology-gexf');
const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
const parser = /\.gexf$/i.test(file) ? gexf : graphml;
const g = parser.parse(Graph, text, {addMissingNodes: false});
let unlabeled = 0;
g.forEachNode((n, a) => { if (!a.label && !a.name) unlabeled++; });
console.log(`nodes=${g.order} edges=${g.size} unlabeled=${unlabeled}`);
