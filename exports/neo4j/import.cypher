// Load the kg graph into Neo4j 5 with LOAD CSV.
// Copy neo4j/*.csv into the database's import folder, then run this file, e.g.
//   cypher-shell -u neo4j -p PASSWORD -f import.cypher
// Empty CSV fields are read as null, so they set no property. Re-running it changes nothing (MERGE).
CREATE CONSTRAINT kgnode_id IF NOT EXISTS FOR (n:KGNode) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT location_id IF NOT EXISTS FOR (n:Location) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT official_id IF NOT EXISTS FOR (n:Official) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT operation_id IF NOT EXISTS FOR (n:Operation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (n:Organization) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Location.csv' AS row
MERGE (n:KGNode {id: row.`id:ID`})
SET n:Location,
    n.label = row.label,
    n.type = row.type,
    n.iri = row.iri,
    n.aliases = row.aliases,
    n.first_date = row.first_date,
    n.last_date = row.last_date,
    n.mentions = toInteger(row.`mentions:int`),
    n.gazetteer_id = row.gazetteer_id,
    n.lat = toFloat(row.`lat:double`),
    n.lon = toFloat(row.`lon:double`),
    n.evidence = row.evidence,
    n.degree = toInteger(row.`degree:int`),
    n.pagerank = toFloat(row.`pagerank:double`),
    n.betweenness = toFloat(row.`betweenness:double`),
    n.community = toInteger(row.`community:int`),
    n.component = toInteger(row.`component:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Official.csv' AS row
MERGE (n:KGNode {id: row.`id:ID`})
SET n:Official,
    n.label = row.label,
    n.type = row.type,
    n.iri = row.iri,
    n.aliases = row.aliases,
    n.mentions = toInteger(row.`mentions:int`),
    n.titles = row.titles,
    n.ranks = row.ranks,
    n.quotes = toInteger(row.`quotes:int`),
    n.evidence = row.evidence,
    n.degree = toInteger(row.`degree:int`),
    n.pagerank = toFloat(row.`pagerank:double`),
    n.betweenness = toFloat(row.`betweenness:double`),
    n.community = toInteger(row.`community:int`),
    n.component = toInteger(row.`component:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Operation.csv' AS row
MERGE (n:KGNode {id: row.`id:ID`})
SET n:Operation,
    n.label = row.label,
    n.type = row.type,
    n.iri = row.iri,
    n.kind = row.kind,
    n.date = row.date,
    n.first_date = row.first_date,
    n.last_date = row.last_date,
    n.mentions = toInteger(row.`mentions:int`),
    n.killed = toInteger(row.`killed:int`),
    n.injured = toInteger(row.`injured:int`),
    n.arrested = toInteger(row.`arrested:int`),
    n.notes = row.notes,
    n.seized = row.seized,
    n.evidence = row.evidence,
    n.degree = toInteger(row.`degree:int`),
    n.pagerank = toFloat(row.`pagerank:double`),
    n.betweenness = toFloat(row.`betweenness:double`),
    n.community = toInteger(row.`community:int`),
    n.component = toInteger(row.`component:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Organization.csv' AS row
MERGE (n:KGNode {id: row.`id:ID`})
SET n:Organization,
    n.label = row.label,
    n.type = row.type,
    n.iri = row.iri,
    n.aliases = row.aliases,
    n.first_date = row.first_date,
    n.last_date = row.last_date,
    n.mentions = toInteger(row.`mentions:int`),
    n.gazetteer_id = row.gazetteer_id,
    n.quotes = toInteger(row.`quotes:int`),
    n.evidence = row.evidence,
    n.degree = toInteger(row.`degree:int`),
    n.pagerank = toFloat(row.`pagerank:double`),
    n.betweenness = toFloat(row.`betweenness:double`),
    n.community = toInteger(row.`community:int`),
    n.component = toInteger(row.`component:int`);

LOAD CSV WITH HEADERS FROM 'file:///nodes_Person.csv' AS row
MERGE (n:KGNode {id: row.`id:ID`})
SET n:Person,
    n.label = row.label,
    n.type = row.type,
    n.iri = row.iri,
    n.aliases = row.aliases,
    n.mentions = toInteger(row.`mentions:int`),
    n.descriptor = row.descriptor,
    n.quotes = toInteger(row.`quotes:int`),
    n.evidence = row.evidence,
    n.degree = toInteger(row.`degree:int`),
    n.pagerank = toFloat(row.`pagerank:double`),
    n.betweenness = toFloat(row.`betweenness:double`),
    n.community = toInteger(row.`community:int`),
    n.component = toInteger(row.`component:int`);

LOAD CSV WITH HEADERS FROM 'file:///relationships_CONDUCTED_BY.csv' AS row
MATCH (a:KGNode {id: row.`:START_ID`})
MATCH (b:KGNode {id: row.`:END_ID`})
MERGE (a)-[r:CONDUCTED_BY {id: row.id}]->(b)
SET r.id = row.id,
    r.relation = row.relation,
    r.docs = toInteger(row.`docs:int`),
    r.weight = toFloat(row.`weight:double`),
    r.evidence = row.evidence;

LOAD CSV WITH HEADERS FROM 'file:///relationships_LOCATED_IN.csv' AS row
MATCH (a:KGNode {id: row.`:START_ID`})
MATCH (b:KGNode {id: row.`:END_ID`})
MERGE (a)-[r:LOCATED_IN {id: row.id}]->(b)
SET r.id = row.id,
    r.relation = row.relation,
    r.docs = toInteger(row.`docs:int`),
    r.weight = toFloat(row.`weight:double`),
    r.evidence = row.evidence;

LOAD CSV WITH HEADERS FROM 'file:///relationships_MEMBER_OF.csv' AS row
MATCH (a:KGNode {id: row.`:START_ID`})
MATCH (b:KGNode {id: row.`:END_ID`})
MERGE (a)-[r:MEMBER_OF {id: row.id}]->(b)
SET r.id = row.id,
    r.relation = row.relation,
    r.docs = toInteger(row.`docs:int`),
    r.weight = toFloat(row.`weight:double`),
    r.evidence = row.evidence;

LOAD CSV WITH HEADERS FROM 'file:///relationships_PART_OF.csv' AS row
MATCH (a:KGNode {id: row.`:START_ID`})
MATCH (b:KGNode {id: row.`:END_ID`})
MERGE (a)-[r:PART_OF {id: row.id}]->(b)
SET r.id = row.id,
    r.relation = row.relation,
    r.docs = toInteger(row.`docs:int`),
    r.weight = toFloat(row.`weight:double`);

LOAD CSV WITH HEADERS FROM 'file:///relationships_TARGETED.csv' AS row
MATCH (a:KGNode {id: row.`:START_ID`})
MATCH (b:KGNode {id: row.`:END_ID`})
MERGE (a)-[r:TARGETED {id: row.id}]->(b)
SET r.id = row.id,
    r.relation = row.relation,
    r.docs = toInteger(row.`docs:int`),
    r.weight = toFloat(row.`weight:double`),
    r.evidence = row.evidence;
